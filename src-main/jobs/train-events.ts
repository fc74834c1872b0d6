// A training's engine events as the contract's events: the run started, its progress a few times a
// second (and always the last step), each evaluation. Used for runs of the workspace and for
// standalone run folders alike, so every host shows training the same way.
import type { LmTrainEvent } from '../engine/train/lm-trainer';
import type { TrainEvent } from '../engine/train/trainer';
import type { ApiEvent } from '../common/contract';

// Tiny models take thousands of steps a second: a UI needs a few updates a second, not each step.
const PROGRESS_EVERY_MS = 200;

export function reportTraining(runId: number, emit: (e: ApiEvent) => void): (e: TrainEvent | LmTrainEvent) => void {
  let last = -Infinity;
  return (e) => {
    if (e.type === 'start') emit({ type: 'status', runId, status: 'running', error: null });
    else if (e.type === 'epoch') emit({ type: 'metrics', runId, record: e.record });
    else if (e.type === 'step') {
      const now = performance.now();
      if (e.step < e.totalSteps && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const eta = e.step > 0 ? (e.seconds / e.step) * (e.totalSteps - e.step) : null;
      // a language model has no epochs: its progress counts steps and tokens
      if ('epoch' in e) emit({ type: 'progress', runId, epoch: e.epoch, step: e.step, totalSteps: e.totalSteps, loss: e.loss, etaSeconds: eta });
      else emit({ type: 'progress', runId, epoch: 0, step: e.step, totalSteps: e.totalSteps, loss: e.loss, etaSeconds: eta, tokens: e.tokens, tokensPerSecond: e.tokens_per_s });
    }
  };
}
