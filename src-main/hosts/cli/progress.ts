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
      const bar = `[${'#'.repeat(done)}${'-'.repeat(width - done)}]`;
      const rate = e.tokensPerSecond !== undefined ? ` ${formatCount(e.tokensPerSecond)} tok/s` : '';
      const where = e.tokensPerSecond !== undefined ? '' : `epoch ${e.epoch}/${epochs} `;
      stream.write(`\r\x1b[2K${where}${bar} step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)}${rate} ETA ${formatDuration(e.etaSeconds ?? 0)}`);
    }
    if (e.type === 'metrics') {
      const r = e.record;
      const clear = tty ? '\r\x1b[2K' : '';
      if ('val_loss' in r) {
        stream.write(
          `${clear}step ${r.step}  train loss ${r.train_loss.toFixed(4)}  val loss ${r.val_loss.toFixed(4)}  ` +
            `val ppl ${r.val_ppl.toFixed(2)}  ${formatCount(r.tokens)} tokens  ${formatCount(r.tokens_per_s)} tok/s  (${r.seconds.toFixed(1)} s)\n`,
        );
      } else {
        stream.write(
          `${clear}epoch ${r.epoch}/${epochs}  train loss ${r.train_loss.toFixed(4)}  ` +
            `test loss ${r.test_loss.toFixed(4)}  test accuracy ${(100 * r.test_accuracy).toFixed(2)}%  (${r.seconds.toFixed(1)} s)\n`,
        );
      }
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

/** 1234 → "1234", 56789 → "56.8k", 2.5e6 → "2.50M" */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
