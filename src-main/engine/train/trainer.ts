// The training loop: seeded shuffles and input noise, cosine schedule, one AdamW step per
// batch through ONNX Runtime, evaluation each epoch, and clean stops on divergence or abort.
import type { Dataset } from '../data/dataset';
import { initParams, paramSpecs, type ModelDims, type ParamSpec } from '../nn/classifier';
import { makeGate, type Gate } from '../nn/gates';
import type { TrainConfig } from './config';
import type { MetricRecord } from './metric-record';
import type { TrainStatus } from './run-summary';
import { BatchPrefetcher } from './batch-prefetch';
import { Evaluator } from './evaluate';
import { learningRate, stepsPerEpoch as stepsOf } from './schedule';
import { paramsFinite, StepSession, zeroMoments, type OptimState } from './step-session';
import type { PhaseClock } from './phases';

export type { MetricRecord } from './metric-record';

export type { TrainStatus } from './run-summary';

export type TrainEvent =
  | { type: 'start'; epochs: number; stepsPerEpoch: number; totalSteps: number }
  | { type: 'step'; epoch: number; step: number; totalSteps: number; loss: number; lr: number; seconds: number }
  | { type: 'epoch'; record: MetricRecord };

export interface TrainOutcome {
  status: TrainStatus;
  /** the last state whose parameters are all finite */
  state: OptimState;
  metrics: MetricRecord[];
  /** the step whose loss or update was not finite */
  divergedAtStep?: number;
  steps: number;
  seconds: number;
}

export interface Model {
  gate: Gate;
  dims: ModelDims;
  specs: ParamSpec[];
}

export function modelFor(cfg: TrainConfig, data: Pick<Dataset, 'inputDim' | 'classes'>): Model {
  const gate = makeGate(cfg.gate, cfg);
  const dims: ModelDims = { dIn: data.inputDim, d: cfg.d, h: cfg.h, classes: data.classes, layers: cfg.layers };
  return { gate, dims, specs: paramSpecs(dims, gate) };
}

export interface TrainOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** called after each evaluation with the state reached, e.g. to save it */
  onEpochEnd?: (state: OptimState, record: MetricRecord) => void | Promise<void>;
  threads?: number;
  /** continue from a checkpoint taken at the end of `epoch` (with the metrics recorded so far) */
  resume?: { state: OptimState; epoch: number; metrics: readonly MetricRecord[] };
  /** where the wall time goes (benchmarks) */
  clock?: PhaseClock;
}

export async function train(cfg: TrainConfig, data: Dataset, opts: TrainOptions = {}): Promise<TrainOutcome> {
  const started = performance.now();
  const offset = opts.resume?.metrics.at(-1)?.seconds ?? 0;
  const seconds = () => offset + (performance.now() - started) / 1000;
  const { gate, dims, specs } = modelFor(cfg, data);
  const n = data.train.n;
  const batch = Math.min(cfg.batch, n);
  const stepsPerEpoch = stepsOf(n, cfg.batch);
  const totalSteps = stepsPerEpoch * cfg.epochs;
  if (opts.resume && opts.resume.state.step !== opts.resume.epoch * stepsPerEpoch) {
    throw new Error(`checkpoint at epoch ${opts.resume.epoch} holds step ${opts.resume.state.step}, but this config takes ${stepsPerEpoch} steps an epoch`);
  }
  // the batch thread starts and fills its first batches while the sessions are made
  const prefetch = BatchPrefetcher.start({ n, dIn: dims.dIn, classes: dims.classes, batch, seed: cfg.seed, noise: cfg.noise }, data.train, (opts.resume?.epoch ?? 0) + 1, cfg.epochs);
  const sessionOpts = { ep: cfg.ep, threads: opts.threads };
  const sessions = await createSessions().catch(async (e: unknown) => {
    await prefetch.close();
    throw e;
  });
  const { full, last, evaluator } = sessions;
  const clock = opts.clock;
  let lap = clock?.lap('startup', started) ?? 0;
  let state: OptimState = opts.resume?.state ?? { params: initParams(specs, cfg.seed), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
  const metrics: MetricRecord[] = [...(opts.resume?.metrics ?? [])];
  let status: TrainStatus = 'completed';
  let divergedAtStep: number | undefined;
  let epoch = 0;
  let lossSum = 0;
  let rowsSeen = 0;
  opts.onEvent?.({ type: 'start', epochs: cfg.epochs, stepsPerEpoch, totalSteps });

  try {
    epochs: for (epoch = (opts.resume?.epoch ?? 0) + 1; epoch <= cfg.epochs; epoch++) {
      lossSum = 0;
      rowsSeen = 0;
      for (let k = 0; k < stepsPerEpoch; k++) {
        if (opts.signal?.aborted) {
          status = 'interrupted';
          break epochs;
        }
        if (clock) lap = clock.lap('steps', lap);
        // prepared meanwhile on the batch thread: here only the wait for it, if any
        const current = await prefetch.next();
        if (clock) lap = clock.lap('data', lap);
        const session = current.rows === batch ? full : last;
        const t = state.step + 1;
        const lr = learningRate(cfg.lr, t, totalSteps, cfg.warmup);
        const out = await session.run(state, current.x, current.onehot, lr, cfg.wd);
        prefetch.release(current);
        if (!Number.isFinite(out.loss) || !paramsFinite(out.state)) {
          status = 'diverged';
          divergedAtStep = t;
          break epochs;
        }
        state = out.state;
        lossSum += out.loss * current.rows;
        rowsSeen += current.rows;
        opts.onEvent?.({ type: 'step', epoch, step: t, totalSteps, loss: out.loss, lr, seconds: seconds() });
      }
      if (clock) lap = clock.lap('steps', lap);
      await evaluateEpoch();
    }
    // a run stopped inside an epoch still reports how good the weights it keeps are
    const lastStep = metrics.at(-1)?.step ?? 0;
    if (status !== 'completed' && state.step > lastStep) await evaluateEpoch();
  } finally {
    await prefetch.close();
    await release(sessions);
  }
  return { status, state, metrics, divergedAtStep, steps: state.step, seconds: seconds() };

  async function createSessions(): Promise<{ full: StepSession; last: StepSession; evaluator: Evaluator }> {
    const made: { full?: StepSession; last?: StepSession; evaluator?: Evaluator } = {};
    try {
      made.full = await StepSession.create(gate, dims, specs, batch, sessionOpts);
      const rest = n % batch;
      made.last = rest > 0 ? await StepSession.create(gate, dims, specs, rest, sessionOpts) : made.full;
      made.evaluator = await Evaluator.create(gate, dims, specs, sessionOpts);
      return made as Required<typeof made>;
    } catch (e) {
      await release(made);
      throw e;
    }
  }

  /** Evaluates the state reached in the current epoch (train loss: mean over its batches). */
  async function evaluateEpoch(): Promise<void> {
    const test = await evaluator.evaluate(state.params, data.test);
    if (clock) lap = clock.lap('evaluation', lap);
    const record: MetricRecord = {
      epoch,
      step: state.step,
      train_loss: lossSum / rowsSeen,
      test_loss: test.loss,
      test_accuracy: test.accuracy,
      lr: learningRate(cfg.lr, state.step, totalSteps, cfg.warmup),
      seconds: seconds(),
    };
    metrics.push(record);
    opts.onEvent?.({ type: 'epoch', record });
    await opts.onEpochEnd?.(state, record);
    if (clock) lap = clock.lap('writes', lap);
  }
}

async function release(s: { full?: StepSession; last?: StepSession; evaluator?: Evaluator }): Promise<void> {
  await s.full?.release();
  if (s.last !== s.full) await s.last?.release();
  await s.evaluator?.release();
}

