// Crash safety: training is killed with SIGKILL at random moments, again and again. Every time,
// the database passes its integrity check, every metric committed before the kill is still
// there, the run reads as interrupted, and resuming finally yields the exact weights of a run
// that was never killed. `npm run soak` runs the same with more kills.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src-main/engine/train/config';
import { runTraining } from '../../src-main/engine/train/run';
import { Rng } from '../../src-main/engine/util/rng';
import { createRun, getRun } from '../../src-main/store/runs';
import { Workspace } from '../../src-main/store/workspace';
import { runCli, startCli, tempDir } from '../helpers/cli';

const KILLS = Number(process.env.SOAK_KILLS ?? 20);
// long enough in epochs that the kills land throughout it, small enough that each epoch is quick
const CFG: TrainConfig = { ...DEFAULT_CONFIG, d: 16, h: 16, batch: 1000, epochs: Math.max(150, KILLS * 8), lr: 3e-3 };

describe('kill -9 during training', () => {
  it(`survives ${KILLS} kills and resumes to the uninterrupted weights`, async () => {
    const dir = tempDir();
    const ws0 = Workspace.open(dir);
    // a queued run no process holds: each `resume` below takes it over
    const id = createRun(ws0, { config: CFG, owned: false });
    ws0.close();
    const rng = new Rng(2024);
    let seen = new Map<string, number | null>();
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < KILLS * 3; attempt++) {
      const { child, done } = startCli(['resume', '--workspace', dir, String(id)]);
      const delay = 300 + rng.uniform() * 900;
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const r = await done;
      clearTimeout(timer);
      if (r.signal !== 'SIGKILL') {
        // it finished before the kill: start over with a fresh run would lose the point; stop here
        expect(r.code, r.stderr).toBe(0);
        break;
      }
      kills++;
      const ws = Workspace.open(dir);
      expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const run = getRun(ws, id);
      expect(['interrupted', 'queued']).toContain(run.status);
      const rows = ws.db.prepare(`SELECT step, epoch, name, value FROM metrics WHERE run_id = ?`).all(id) as { step: number; epoch: number; name: string; value: number | null }[];
      const now = new Map(rows.map((m) => [`${m.step}/${m.name}`, m.value]));
      for (const [key, value] of seen) expect(now.get(key), `metric ${key} committed before kill ${kills} is gone`).toBe(value);
      // each evaluation is written whole, and the run's row agrees with its metrics
      const epochs = new Set(rows.map((m) => m.epoch));
      for (const e of epochs) expect(rows.filter((m) => m.epoch === e)).toHaveLength(5);
      expect(run.epochs_done).toBe(epochs.size === 0 ? 0 : Math.max(...epochs));
      seen = now;
      ws.close();
    }
    expect(kills).toBe(KILLS);

    const finish = await runCli(['resume', '--workspace', dir, String(id), '--json']);
    expect(finish.code, finish.stderr).toBe(0);
    const ws = Workspace.open(dir);
    expect(getRun(ws, id).status).toBe('completed');
    expect(getRun(ws, id).epochs_done).toBe(CFG.epochs);
    ws.close();
    const straight = await runTraining(CFG, join(tempDir(), 'straight'));
    expect(readFileSync(join(dir, 'runs', String(id), 'weights.safetensors')).equals(readFileSync(join(straight.run_dir, 'weights.safetensors')))).toBe(true);
  });
});
