// Runs on a real Slurm cluster (scripts/slurm-local.sh starts a one-node one; .ci/run does, and sets
// REQUIRE_SLURM=1 so that these tests fail rather than skip there). Tiny configs: digits, d=h=16.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type Service } from '../../src-main/api/service';
import { runTraining } from '../../src-main/engine/train/run';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src-main/engine/train/config';
import { readTaskStatus } from '../../src-main/jobs/slurm-task';
import type { ApiEvent, ApiInput, ListedRun } from '../../src-main/common/contract';
import { HAVE_SLURM, REQUIRE_SLURM } from '../helpers/slurm';

const required = REQUIRE_SLURM;
if (!HAVE_SLURM && !required) console.warn('sbatch not found (scripts/slurm-local.sh start, as root, runs a one-node cluster): skipping the Slurm tests');

process.env.SQS_SLURM_POLL_MS = '200';
const TINY = { dataset: 'digits', d: 16, h: 16, epochs: 2 } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slurm = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

/** Polls until `ok` holds (the test's own timeout bounds it). */
async function until<T>(read: () => Promise<T> | T, ok: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    await sleep(100);
  }
}

describe.skipIf(!HAVE_SLURM && !required)('runs on a Slurm cluster', () => {
  let root: string;
  const open: Service[] = [];
  const serve = (dir: string) => {
    const s = createService({ workspaceDir: dir });
    open.push(s);
    return s;
  };
  const runsOf = async (s: Service, ids: readonly number[]) => (await s.call('runs.list', { sort: 'id', limit: 1000 })).rows.filter((r) => ids.includes(r.id));
  const show = async (s: Service, id: number) => (await s.call('runs.show', { id })).run;

  beforeAll(() => {
    expect(HAVE_SLURM, 'REQUIRE_SLURM=1 but sbatch is not on the PATH').toBe(true);
    root = mkdtempSync(join(tmpdir(), 'sqs-slurm-'));
  });
  afterAll(async () => {
    for (const s of open) await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('trains a 4-run sweep as one job array and ingests the same metrics and weights as the same sweep trained here', async () => {
    const onSlurm = serve(join(root, 'a'));
    const here = serve(join(root, 'b'));
    const events: ApiEvent[] = [];
    onSlurm.on((e) => events.push(e));
    const sweep: ApiInput<'sweep.start'> = { base: TINY, axes: [{ key: 'gate', values: ['bilinear', 'sqs'] }, { key: 'seed', values: [0, 1] }] };
    const a = await onSlurm.call('sweep.start', { ...sweep, executor: { kind: 'slurm', maxParallel: 2 } });
    expect(a.slurmJob).toMatch(/^\d+$/);
    expect((await runsOf(onSlurm, a.runIds)).map((r) => [r.executor, r.slurm_job])).toEqual(a.runIds.map((_, i) => ['slurm', `${a.slurmJob}_${i}`]));
    const b = await here.call('sweep.start', sweep);
    await Promise.all([onSlurm.idle(), here.idle()]);

    const [ra, rb] = [await runsOf(onSlurm, a.runIds), await runsOf(here, b.runIds)];
    expect(ra.map((r) => [r.status, r.slurm_state])).toEqual(ra.map(() => ['completed', 'COMPLETED']));
    expect(ra.map((r) => [r.gate, r.seed, r.epochs_done, r.steps_done, r.test_accuracy])).toEqual(rb.map((r) => [r.gate, r.seed, r.epochs_done, r.steps_done, r.test_accuracy]));
    const names = ['train_loss', 'test_loss', 'test_accuracy'];
    const values = async (s: Service, ids: number[]) => {
      const series = await s.call('runs.metrics', { ids, names });
      return ids.map((id) => names.map((n) => series[id][n].map((p) => [p.step, p.value])));
    };
    expect(await values(onSlurm, a.runIds)).toEqual(await values(here, b.runIds));
    for (const [i, id] of a.runIds.entries()) {
      const [da, db] = [(await onSlurm.call('runs.show', { id })), await here.call('runs.show', { id: b.runIds[i] })];
      expect(readFileSync(join(da.dir, 'weights.safetensors')).equals(readFileSync(join(db.dir, 'weights.safetensors')))).toBe(true);
      // every file but the two that record wall-clock seconds (metrics.jsonl, run.json)
      const files = (d: typeof da) => d.artifacts.map((f) => [f.path, ['metrics.jsonl', 'run.json'].includes(f.path) ? 'timed' : f.sha256]);
      expect(files(da)).toEqual(files(db));
      expect(da.run.dataset_sha256).toBe(db.run.dataset_sha256);
    }
    // live views follow the ingested evaluations: every one announced, then each run's end
    expect(events.filter((e) => e.type === 'metrics').length).toBe(4 * 2);
    expect(events.filter((e) => e.type === 'status' && e.status === 'completed').map((e) => e.runId).sort()).toEqual(a.runIds);
  });

  it('shows why a task waits, and cancels a pending task', async () => {
    const s = serve(join(root, 'c'));
    const { runId, slurmJob } = await s.call('train.start', { config: TINY, executor: { kind: 'slurm', sbatchArgs: ['--hold'] } });
    const waiting = await until(() => show(s, runId), (r) => r.slurm_reason !== null);
    expect([waiting.status, waiting.slurm_state, waiting.slurm_reason]).toEqual(['queued', 'PENDING', 'JobHeldUser']);
    expect(await s.call('runs.cancel', { id: runId })).toEqual({ id: runId, status: 'cancelled' });
    expect(slurm('squeue', '-h', '-j', slurmJob!, '-o', '%T').trim()).not.toBe('PENDING');
    await s.idle();
    expect((await show(s, runId)).status).toBe('cancelled');
  });

  it('a task killed mid-training fails, and resume completes it byte-identical to an uninterrupted run', async () => {
    const s = serve(join(root, 'd'));
    const config = { ...TINY, epochs: 200 };
    const { runId } = await s.call('train.start', { config, executor: { kind: 'slurm' } });
    const dir = (await s.call('runs.show', { id: runId })).dir;
    const lines = () => (existsSync(join(dir, 'metrics.jsonl')) ? readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n').length - 1 : 0);
    await until(lines, (n) => n >= 3);
    process.kill(readTaskStatus(dir)!.pid, 'SIGKILL');
    await s.idle();
    const failed = await show(s, runId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/stopped without recording its end .*resume/);
    expect(failed.epochs_done).toBeGreaterThanOrEqual(3);

    await s.call('runs.resume', { id: runId });
    await s.idle();
    const done = await show(s, runId);
    expect([done.status, done.epochs_done, done.error]).toEqual(['completed', 200, null]);
    const reference = join(root, 'reference');
    await runTraining({ ...DEFAULT_CONFIG, ...config, ep: 'cpu' } as TrainConfig, reference);
    for (const f of ['weights.safetensors', 'checkpoint.safetensors', 'model.onnx']) expect(readFileSync(join(dir, f)).equals(readFileSync(join(reference, f))), f).toBe(true);
    const points = (await s.call('runs.metrics', { ids: [runId], names: ['test_loss'] }))[runId].test_loss;
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 200 }, (_, i) => 4 * (i + 1)));
  });

  it('a workbench closed while jobs wait ingests what finished meanwhile when opened again', async () => {
    const dir = join(root, 'e');
    const first = serve(dir);
    const { runIds, slurmJob } = await first.call('sweep.start', { base: TINY, axes: [{ key: 'seed', values: [0, 1, 2] }], executor: { kind: 'slurm', sbatchArgs: ['--hold'] } });
    await first.close();
    // opened again while they wait: still queued, with Slurm's reason
    const second = serve(dir);
    expect((await runsOf(second, runIds)).map((r) => [r.status, r.slurm_state])).toEqual(runIds.map(() => ['queued', 'PENDING']));
    await second.close();
    // released and run to their end while no workbench watches
    slurm('scontrol', 'release', slurmJob!);
    await until(() => runIds.map((id) => readTaskStatus(join(dir, 'runs', String(id)))?.ended_at ?? null), (ends) => ends.every((e) => e !== null));
    const third = serve(dir);
    const runs = await until(() => runsOf(third, runIds), (rs: ListedRun[]) => rs.every((r) => r.status === 'completed'));
    expect(runs.map((r) => r.epochs_done)).toEqual([2, 2, 2]);
    const series = await third.call('runs.metrics', { ids: runIds, names: ['test_accuracy'] });
    expect(runIds.map((id) => series[id].test_accuracy.length)).toEqual([2, 2, 2]);
  });

  it('a task that cannot see its run folder fails saying so, and refusals come before anything is created', async () => {
    const s = serve(join(root, 'f'));
    const { runId, slurmJob } = await s.call('train.start', { config: TINY, executor: { kind: 'slurm', sbatchArgs: ['--hold'] } });
    rmSync((await s.call('runs.show', { id: runId })).dir, { recursive: true });
    slurm('scontrol', 'release', slurmJob!);
    await s.idle();
    const r = await show(s, runId);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/run folder .* is missing/);
    expect(readFileSync(join(root, 'f', 'slurm', `${slurmJob}_0.log`), 'utf8')).toMatch(/is not visible on .*: the workspace must be on a filesystem that the login node and the compute nodes share/);

    const before = (await s.call('runs.list', {})).total;
    await expect(s.call('sweep.start', { base: TINY, axes: [{ key: 'seed', values: [0] }], executor: { kind: 'slurm', partition: 'nosuch' } })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/'nosuch' is not a partition of this cluster; partitions: \w+/) });
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(s.call('train.start', { config: TINY, executor: { kind: 'slurm' } })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/sinfo is not on the PATH/) });
    } finally {
      process.env.PATH = path;
    }
    expect((await s.call('runs.list', {})).total).toBe(before);
  });
});
