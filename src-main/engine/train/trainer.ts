// The training loop: seeded shuffles and input noise, cosine schedule, one AdamW step per
// batch through ONNX Runtime, evaluation each epoch, and clean stops on divergence or abort.
import type { Dataset } from '../data/dataset';
import { initParams, paramSpecs, type ModelDims, type ParamSpec } from '../nn/classifier';
import { makeGate, type Gate } from '../nn/gates';
import { Rng } from '../util/rng';
import type { TrainConfig } from './config';
import type { MetricRecord } from './metric-record';
import type { TrainStatus } from './run-summary';
import { Evaluator } from './evaluate';
import { learningRate, stepsPerEpoch as stepsOf } from './schedule';
import { StepSession, zeroMoments, type OptimState } from './step-session';

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
}

// Independent random streams per purpose (and per epoch, so a run can resume at an epoch).
const STREAM_SHUFFLE = 1_000_000;
const STREAM_NOISE = 2_000_000;

export async function train(cfg: TrainConfig, data: Dataset, opts: TrainOptions = {}): Promise<TrainOutcome> {
  const started = performance.now();
  const offset = opts.resume?.metrics.at(-1)?.seconds ?? 0;
  const seconds = () => offset + (performance.now() - started) / 1000;
  const { gate, dims, specs } = modelFor(cfg, data);
  const n = data.train.n;
  const batch = Math.min(cfg.batch, n);
  const stepsPerEpoch = stepsOf(n, cfg.batch);
  const totalSteps = stepsPerEpoch * cfg.epochs;
  const sessionOpts = { ep: cfg.ep, threads: opts.threads };
  const full = await StepSession.create(gate, dims, specs, batch, sessionOpts);
  const rest = n % batch;
  const last = rest > 0 ? await StepSession.create(gate, dims, specs, rest, sessionOpts) : full;
  const evaluator = await Evaluator.create(gate, dims, specs, sessionOpts);

  if (opts.resume && opts.resume.state.step !== opts.resume.epoch * stepsPerEpoch) {
    throw new Error(`checkpoint at epoch ${opts.resume.epoch} holds step ${opts.resume.state.step}, but this config takes ${stepsPerEpoch} steps an epoch`);
  }
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
      const order = new Rng(cfg.seed, STREAM_SHUFFLE + epoch).permutation(n);
      const noise = new Rng(cfg.seed, STREAM_NOISE + epoch);
      const buffers = [new BatchBuffer(batch, dims), new BatchBuffer(batch, dims)];
      lossSum = 0;
      rowsSeen = 0;
      let next = buffers[0].fill(data, order, 0, batch, noise, cfg.noise);
      for (let k = 0; k < stepsPerEpoch; k++) {
        if (opts.signal?.aborted) {
          status = 'interrupted';
          break epochs;
        }
        const current = next;
        const session = current.rows === batch ? full : last;
        const t = state.step + 1;
        const lr = learningRate(cfg.lr, t, totalSteps, cfg.warmup);
        const pending = session.run(state, current.x, current.onehot, lr, cfg.wd);
        // prepare the next batch while ONNX Runtime works on this one
        if (k + 1 < stepsPerEpoch) {
          const start = (k + 1) * batch;
          next = buffers[(k + 1) % 2].fill(data, order, start, Math.min(batch, n - start), noise, cfg.noise);
        }
        const out = await pending;
        if (!Number.isFinite(out.loss) || !allFinite(out.state)) {
          status = 'diverged';
          divergedAtStep = t;
          break epochs;
        }
        state = out.state;
        lossSum += out.loss * current.rows;
        rowsSeen += current.rows;
        opts.onEvent?.({ type: 'step', epoch, step: t, totalSteps, loss: out.loss, lr, seconds: seconds() });
      }
      await evaluateEpoch();
    }
    // a run stopped inside an epoch still reports how good the weights it keeps are
    const lastStep = metrics.at(-1)?.step ?? 0;
    if (status !== 'completed' && state.step > lastStep) await evaluateEpoch();
  } finally {
    await full.release();
    if (last !== full) await last.release();
    await evaluator.release();
  }
  return { status, state, metrics, divergedAtStep, steps: state.step, seconds: seconds() };

  /** Evaluates the state reached in the current epoch (train loss: mean over its batches). */
  async function evaluateEpoch(): Promise<void> {
    const test = await evaluator.evaluate(state.params, data.test);
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
  }
}

/** A batch of training rows with their noise, and one-hot labels. */
class BatchBuffer {
  readonly x: Float32Array;
  readonly onehotFull: Float32Array;

  constructor(
    capacity: number,
    private readonly dims: ModelDims,
  ) {
    this.x = new Float32Array(capacity * dims.dIn);
    this.onehotFull = new Float32Array(capacity * dims.classes);
  }

  fill(data: Dataset, order: Uint32Array, start: number, rows: number, noise: Rng, std: number): { x: Float32Array; onehot: Float32Array; rows: number } {
    const { dIn, classes } = this.dims;
    const x = this.x.subarray(0, rows * dIn);
    const onehot = this.onehotFull.subarray(0, rows * classes);
    onehot.fill(0);
    for (let i = 0; i < rows; i++) {
      const src = order[start + i];
      x.set(data.train.x.subarray(src * dIn, (src + 1) * dIn), i * dIn);
      onehot[i * classes + data.train.y[src]] = 1;
    }
    if (std > 0) noise.addNormal(x, std);
    return { x, onehot, rows };
  }
}

function allFinite(state: OptimState): boolean {
  for (const p of state.params.values()) for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) return false;
  return true;
}
