// `sqs-workbench train`: flags in, a run out (in the workspace, or a standalone folder with
// --out); a progress bar for people, one JSON object for programs.
// Exit codes: 0 completed, 1 error, 2 bad flags, 3 diverged, 130 interrupted or cancelled.
import { trainFolder, type LmRunResult, type RunResult } from '../../api/run-folders';
import type { RunDetail, RunStatus } from '../../common/contract';
import { withService, withStopSignal } from './connect';
import { ENDED, progressPrinter } from './progress';
import { parseTrainArgs, type TrainCliOptions } from './train-args';
import { EXECUTOR_HELP, splitExecutorArgs } from './executor-args';
import type { Executor } from '../../common/contract';
import { UsageError } from './usage';

/** What `train --json` prints for a classifier: the same keys for a workspace run and a standalone folder. */
export type ClassifierReport = Omit<RunResult, 'dataset_sha256' | 'status'> & { run_id?: number; status: string; error?: string };
/** What `train --family lm --json` prints. */
export type LmReport = Omit<LmRunResult, 'dataset_sha256' | 'status' | 'family'> & { run_id?: number; status: string; error?: string };
export type TrainReport = ClassifierReport | LmReport;

export async function trainCommand(argv: string[]): Promise<number> {
  const { executor, rest } = splitExecutorArgs(argv);
  const parsed = parseTrainArgs(rest);
  if ('help' in parsed) {
    process.stdout.write(parsed.help + '\n' + EXECUTOR_HELP);
    return 0;
  }
  if (executor && parsed.out !== null) throw new UsageError('--executor: a run trained on Slurm lives in the workspace; drop --out');
  const epochs = 'epochs' in parsed.config ? parsed.config.epochs : 0;
  const printer = !parsed.json || process.stderr.isTTY ? progressPrinter(process.stderr, epochs) : undefined;
  const report = parsed.out !== null ? await trainInFolder(parsed, printer) : await trainInWorkspace(parsed, printer, executor);
  return reportRun(report, parsed.json);
}

async function trainInFolder(o: TrainCliOptions, printer: ReturnType<typeof progressPrinter> | undefined): Promise<TrainReport> {
  const r = await withStopSignal((signal) => trainFolder(o.config, o.out!, { signal, onEvent: printer }));
  if ('family' in r) {
    const { dataset_sha256: _sha, family: _family, ...report } = r;
    return report;
  }
  const { dataset_sha256: _sha, ...report } = r;
  return report;
}

async function trainInWorkspace(o: TrainCliOptions, printer: ReturnType<typeof progressPrinter> | undefined, executor: Executor | null): Promise<TrainReport> {
  return withService({ workspace: o.workspace ?? undefined }, async ({ service }) => {
    let runId = -1;
    let ended: { status: RunStatus; error: string | null } | null = null;
    const off = service.on((e) => {
      if (e.runId !== runId) return;
      if (e.type === 'status' && ENDED.includes(e.status)) ended = { status: e.status, error: e.error };
      printer?.(e);
    });
    try {
      ({ runId } = await service.call('train.start', { config: o.config, ...(o.name !== null ? { name: o.name } : {}), ...(o.tags.length ? { tags: o.tags } : {}), ...(executor ? { executor } : {}) }));
      await service.idle();
    } finally {
      off();
    }
    const report = runReport(await service.call('runs.show', { id: runId }));
    // a workspace that could not record how the run ended (a full disk) still hears it from the run's last event
    const last = ended as { status: RunStatus; error: string | null } | null;
    if (last && !ENDED.includes(report.status as RunStatus)) return { ...report, status: last.status, ...(last.error ? { error: last.error } : {}) };
    return report;
  });
}

/** A workspace run as `train` reports it. */
export function runReport(d: RunDetail): TrainReport {
  const r = d.run;
  if ('family' in r.config) {
    return {
      run_dir: d.dir,
      run_id: r.id,
      train_loss: r.train_loss,
      val_loss: r.test_loss,
      val_ppl: d.result?.val_ppl ?? null,
      tokens: d.result?.tokens ?? 0,
      tokens_per_s: d.result?.tokens_per_s ?? null,
      steps: d.result?.steps ?? r.steps_done,
      seconds: d.result?.seconds ?? 0,
      execution_provider: d.result?.execution_provider ?? r.execution_provider,
      status: r.status,
      ...(d.result?.diverged_at_step !== undefined ? { diverged_at_step: d.result.diverged_at_step } : {}),
      ...(r.error ? { error: r.error } : {}),
    };
  }
  return {
    run_dir: d.dir,
    run_id: r.id,
    test_accuracy: r.test_accuracy,
    test_loss: r.test_loss,
    train_loss: r.train_loss,
    epochs: d.result?.epochs_completed ?? r.epochs_done,
    steps: d.result?.steps ?? r.steps_done,
    seconds: d.result?.seconds ?? 0,
    execution_provider: d.result?.execution_provider ?? r.execution_provider,
    status: r.status,
    ...(d.result?.diverged_at_step !== undefined ? { diverged_at_step: d.result.diverged_at_step } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
}

/** Prints the result and returns the exit code. */
export function reportRun(r: TrainReport, json: boolean): number {
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else if ('val_loss' in r) {
    const where = r.run_id !== undefined ? `run ${r.run_id} in ${r.run_dir}` : `run in ${r.run_dir}`;
    const loss = r.val_loss === null ? 'n/a' : `${r.val_loss.toFixed(4)} (perplexity ${r.val_ppl?.toFixed(2) ?? 'n/a'})`;
    process.stdout.write(`${r.status}: validation loss ${loss} after ${r.steps} steps (${r.tokens} tokens, ${r.seconds.toFixed(1)} s); ${where}\n`);
  } else {
    const acc = r.test_accuracy === null ? 'n/a' : `${(100 * r.test_accuracy).toFixed(2)}%`;
    const where = r.run_id !== undefined ? `run ${r.run_id} in ${r.run_dir}` : `run in ${r.run_dir}`;
    process.stdout.write(`${r.status}: test accuracy ${acc} after ${r.epochs} epochs (${r.steps} steps, ${r.seconds.toFixed(1)} s); ${where}\n`);
  }
  switch (r.status) {
    case 'completed':
      return 0;
    case 'diverged':
      process.stderr.write(`training diverged at step ${r.diverged_at_step}: the loss or an update was not finite; the last good weights are in ${r.run_dir}\n`);
      return 3;
    case 'interrupted':
    case 'cancelled':
      process.stderr.write(`${r.status} after ${r.steps} steps; what was trained is in ${r.run_dir}${r.run_id !== undefined && r.status === 'interrupted' ? ` (sqs-workbench resume ${r.run_id} continues it)` : ''}\n`);
      return 130;
    default:
      process.stderr.write(`training ${r.status}${r.error ? `: ${r.error}` : ''}\n`);
      return 1;
  }
}
