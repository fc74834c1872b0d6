// Training progress for people: a redrawn bar on a terminal, one line per epoch otherwise.
import type { TrainEvent } from '../../engine/train/trainer';

export function progressPrinter(stream: NodeJS.WriteStream): (e: TrainEvent) => void {
  const tty = stream.isTTY === true;
  let epochs = 0;
  let drawn = 0;
  return (e) => {
    if (e.type === 'start') epochs = e.epochs;
    // redraw at most ten times a second: fast steps would otherwise flood the terminal
    if (e.type === 'step' && tty && (performance.now() - drawn > 100 || e.step === e.totalSteps)) {
      drawn = performance.now();
      const frac = e.step / e.totalSteps;
      const width = 24;
      const done = Math.round(frac * width);
      const eta = e.step > 0 ? (e.seconds / e.step) * (e.totalSteps - e.step) : 0;
      stream.write(
        `\r\x1b[2Kepoch ${e.epoch}/${epochs} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ` +
          `step ${e.step}/${e.totalSteps} loss ${e.loss.toFixed(4)} ETA ${formatDuration(eta)}`,
      );
    }
    if (e.type === 'epoch') {
      const r = e.record;
      stream.write(
        `${tty ? '\r\x1b[2K' : ''}epoch ${r.epoch}/${epochs}  train loss ${r.train_loss.toFixed(4)}  ` +
          `test loss ${r.test_loss.toFixed(4)}  test accuracy ${(100 * r.test_accuracy).toFixed(2)}%  (${r.seconds.toFixed(1)} s)\n`,
      );
    }
  };
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
}
