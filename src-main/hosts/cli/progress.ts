// Training progress for people, from the contract's events: a redrawn bar on a terminal, one line
// per epoch otherwise; for several runs, a line as each one ends.
import type { ApiEvent, RunStatus } from '../../common/contract';

export function progressPrinter(stream: NodeJS.WriteStream, epochs: number): (e: ApiEvent) => void {
  const tty = stream.isTTY === true;
  let drawn = 0;
  return (e) => {
    // redraw at most ten times a second: fast steps would otherwise flood the terminal
    if (e.type === 'progress' && tty && (performance.now() - drawn > 100 || e.step === e.totalSteps)) {
      drawn = performance.now();
      const width = 24;
      const done = Math.round((e.step / e.totalSteps) * width);
      stream.write(
        `\r\x1b[2Kepoch ${e.epoch}/${epochs} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ` +
          `step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} ETA ${formatDuration(e.etaSeconds ?? 0)}`,
      );
    }
    if (e.type === 'metrics') {
      const r = e.record;
      stream.write(
        `${tty ? '\r\x1b[2K' : ''}epoch ${r.epoch}/${epochs}  train loss ${r.train_loss.toFixed(4)}  ` +
          `test loss ${r.test_loss.toFixed(4)}  test accuracy ${(100 * r.test_accuracy).toFixed(2)}%  (${r.seconds.toFixed(1)} s)\n`,
      );
    }
  };
}

export const ENDED: readonly RunStatus[] = ['completed', 'failed', 'diverged', 'interrupted', 'cancelled'];

/** "run 7: completed": one line as each of several runs ends. */
export function endPrinter(stream: NodeJS.WriteStream, describe: (runId: number) => Promise<string>): (e: ApiEvent) => void {
  return (e) => {
    if (e.type !== 'status' || !ENDED.includes(e.status)) return;
    void describe(e.runId).then(
      (s) => stream.write(`run ${e.runId}: ${e.status}${e.error ? `: ${e.error.split('\n')[0]}` : ''}${s}\n`),
      () => stream.write(`run ${e.runId}: ${e.status}\n`),
    );
  };
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
}
