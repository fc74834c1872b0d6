// The language model's training loop: each step's context windows drawn from the seed's stream
// for that step, warm-up then cosine or linear decay, one clipped AdamW step per call to ONNX
// Runtime, an evaluation on fixed validation windows (with a sample) every `eval_every` steps,
// and clean stops on divergence or abort. Resumes exactly at any evaluated step.
import { makeGate } from '../nn/gates';
import { initLmParams, lmParamSpecs, type LmDims, type LmParamSpec } from '../nn/lm';
import type { Gate } from '../nn/gates';
import type { LmConfig } from './lm-config';
import { LmEvaluator, LmStepSession } from './lm-step-session';
import { allocBatch, trainWindows, validationWindows, type TokenArray } from './lm-windows';
import type { LmMetricRecord } from './metric-record';
import type { TrainStatus } from './run-summary';
import type { PhaseClock } from './phases';
import { learningRate } from './schedule';
import { paramsFinite, zeroMoments, type OptimState } from './step-session';
import { sampleTokens } from './lm-sample';

export type LmTrainEvent =
  | { type: 'start'; totalSteps: number; tokensPerStep: number }
  | { type: 'step'; step: number; totalSteps: number; loss: number; lr: number; seconds: number; tokens: number; tokens_per_s: number }
  | { type: 'epoch'; record: LmMetricRecord };

export interface LmModel {
  gate: Gate;
  dims: LmDims;
  specs: LmParamSpec[];
}

export function lmModelFor(cfg: LmConfig): LmModel {
  const gate = makeGate(cfg.gate, cfg);
  const dims: LmDims = { vocab: cfg.vocab, dModel: cfg.d_model, heads: cfg.heads, dHidden: cfg.d_hidden, layers: cfg.layers, ctx: cfg.ctx };
  return { gate, dims, specs: lmParamSpecs(dims, gate) };
}

export interface LmCorpusTokens {
  train: TokenArray;
  valid: TokenArray;
}

export interface LmTrainOptions {
  signal?: AbortSignal;
  onEvent?: (e: LmTrainEvent) => void;
  /** after each evaluation, with the state reached and a sample generated from it */
  onEvaluated?: (state: OptimState, record: LmMetricRecord, sample: number[]) => void | Promise<void>;
  threads?: number;
  /** the prompt each evaluation's sample continues */
  samplePrompt: readonly number[];
  /** the token that ends a sample (<|endoftext|>) */
  sampleStop?: number;
  /** continue from a checkpoint taken at an evaluated step */
  resume?: { state: OptimState; metrics: readonly LmMetricRecord[] };
  /** where the wall time goes (benchmarks) */
  clock?: PhaseClock;
}

export interface LmTrainOutcome {
  status: TrainStatus;
  state: OptimState;
  metrics: LmMetricRecord[];
  divergedAtStep?: number;
  steps: number;
  seconds: number;
}

/** New tokens in each evaluation's sample. */
export const SAMPLE_TOKENS = 48;

export async function trainLm(cfg: LmConfig, data: LmCorpusTokens, opts: LmTrainOptions): Promise<LmTrainOutcome> {
  const started = performance.now();
  const previous = opts.resume?.metrics.at(-1);
  const offset = previous?.seconds ?? 0;
  const seconds = () => offset + (performance.now() - started) / 1000;
  const { gate, dims, specs } = lmModelFor(cfg);
  const tokensPerStep = cfg.batch * cfg.ctx;
  const sessionOpts = { ep: cfg.ep, threads: opts.threads };
  const step = await LmStepSession.create(gate, dims, specs, cfg.batch, sessionOpts);
  const evaluator = await LmEvaluator.create(gate, dims, specs, sessionOpts);
  const val = validationWindows(data.valid, cfg.ctx);
  const clock = opts.clock;
  let lap = clock?.lap('startup', started) ?? 0;

  let state: OptimState = opts.resume?.state ?? { params: initLmParams(specs, dims, cfg.seed), m: zeroMoments(specs), v: zeroMoments(specs), step: 0 };
  const metrics: LmMetricRecord[] = [...(opts.resume?.metrics ?? [])];
  let status: TrainStatus = 'completed';
  let divergedAtStep: number | undefined;
  let lossSum = 0;
  let lossSteps = 0;
  let windowStart = performance.now();
  let windowSteps = 0;
  opts.onEvent?.({ type: 'start', totalSteps: cfg.steps, tokensPerStep });

  const buffers = [allocBatch(cfg.batch, cfg.ctx), allocBatch(cfg.batch, cfg.ctx)];
  try {
    let next = state.step < cfg.steps ? trainWindows(data.train, cfg.ctx, cfg.seed, state.step + 1, buffers[0]) : null;
    while (next && state.step < cfg.steps) {
      if (opts.signal?.aborted) {
        status = 'interrupted';
        break;
      }
      const t = state.step + 1;
      const lr = learningRate(cfg.lr, t, cfg.steps, cfg.warmup, cfg.schedule);
      if (clock) lap = clock.lap('steps', lap);
      const pending = step.run(state, next.ids, next.targets, lr, cfg.wd, cfg.clip);
      // the next step's windows: drawn before ONNX Runtime starts this step (it runs on this
      // thread), which costs well under a millisecond against a step's tens
      next = t < cfg.steps ? trainWindows(data.train, cfg.ctx, cfg.seed, t + 1, buffers[t % 2]) : null;
      if (clock) lap = clock.lap('data', lap);
      const out = await pending;
      if (!Number.isFinite(out.loss) || !paramsFinite(out.state)) {
        status = 'diverged';
        divergedAtStep = t;
        break;
      }
      state = out.state;
      lossSum += out.loss;
      lossSteps++;
      windowSteps++;
      const rate = (windowSteps * tokensPerStep) / ((performance.now() - windowStart) / 1000);
      opts.onEvent?.({ type: 'step', step: t, totalSteps: cfg.steps, loss: out.loss, lr, seconds: seconds(), tokens: t * tokensPerStep, tokens_per_s: rate });
      if (clock) lap = clock.lap('steps', lap);
      if (t % cfg.eval_every === 0 || t === cfg.steps) await evaluate(rate);
    }
    // a run stopped between evaluations still reports how good the weights it keeps are
    if (status !== 'completed' && state.step > (metrics.at(-1)?.step ?? 0)) await evaluate(null);
  } finally {
    await step.release();
    await evaluator.release();
  }
  return { status, state, metrics, divergedAtStep, steps: state.step, seconds: seconds() };

  async function evaluate(rate: number | null): Promise<void> {
    const valLoss = await evaluator.loss(state.params, val.ids, val.targets, val.rows);
    const record: LmMetricRecord = {
      epoch: metrics.length + 1,
      step: state.step,
      tokens: state.step * tokensPerStep,
      train_loss: lossSteps > 0 ? lossSum / lossSteps : NaN,
      val_loss: valLoss,
      val_ppl: Math.exp(valLoss),
      lr: learningRate(cfg.lr, Math.max(1, state.step), cfg.steps, cfg.warmup, cfg.schedule),
      seconds: seconds(),
      tokens_per_s: rate ?? (windowSteps * tokensPerStep) / Math.max(1e-9, (performance.now() - windowStart) / 1000),
    };
    const sample = await sampleTokens(evaluator, state.params, opts.samplePrompt, { maxTokens: SAMPLE_TOKENS, temperature: 1, topK: 0, seed: cfg.seed + state.step, ctx: cfg.ctx, stopAt: opts.sampleStop });
    metrics.push(record);
    lossSum = 0;
    lossSteps = 0;
    opts.onEvent?.({ type: 'epoch', record });
    if (clock) lap = clock.lap('evaluation', lap);
    await opts.onEvaluated?.(state, record, sample);
    if (clock) lap = clock.lap('writes', lap);
    // the time spent evaluating is not training throughput
    windowStart = performance.now();
    windowSteps = 0;
  }
}

