// One training-step session: feeds parameters, optimizer state and a batch to the step graph and
// reads back the updated state. Static shapes, so each batch size gets its own session.
import type * as ort from 'onnxruntime-node';
import { createSession, f32, scalarF32, type EpName } from '../onnx/session';
import type { ModelDims, ParamSpec, Params } from '../nn/classifier';
import type { Gate } from '../nn/gates';
import { adamScalars } from './adamw';
import { buildTrainStep, names } from './graphs';
import type { TNode } from '../onnx/graph';

export interface OptimState {
  params: Params;
  m: Params;
  v: Params;
  /** optimizer steps taken so far */
  step: number;
}

/** Whether every parameter is finite: a step that makes one NaN or ±∞ has diverged. */
export function paramsFinite(state: OptimState): boolean {
  for (const p of state.params.values()) for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) return false;
  return true;
}

/** Zero moments for parameters of any shape (the classifier's matrices, the language model's gains too). */
export function zeroMoments(specs: readonly { name: string; shape: readonly number[] }[]): Params {
  return new Map(specs.map((s) => [s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1))]));
}

export class StepSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly specs: readonly ParamSpec[],
    readonly batch: number,
    private readonly dims: ModelDims,
    /** the step's matrix products (what the benchmark compares against) */
    readonly gemms: readonly TNode[],
  ) {}

  static async create(gate: Gate, dims: ModelDims, specs: readonly ParamSpec[], batch: number, opts: { ep: EpName; threads?: number }): Promise<StepSession> {
    const { model, gemms } = buildTrainStep(gate, dims, specs, batch);
    return new StepSession(await createSession(model, opts), specs, batch, dims, gemms);
  }

  /** x [batch, dIn], onehot [batch, C]; returns the state after one AdamW step and the batch loss. */
  async run(state: OptimState, x: Float32Array, onehot: Float32Array, lr: number, wd: number): Promise<{ state: OptimState; loss: number }> {
    const t = state.step + 1;
    const sc = adamScalars(lr, wd, t);
    const feeds: Record<string, ort.Tensor> = {
      x: f32(x, [this.batch, this.dims.dIn]),
      y: f32(onehot, [this.batch, this.dims.classes]),
      decay: scalarF32(sc.decay),
      step_size: scalarF32(sc.stepSize),
      eps_hat: scalarF32(sc.epsHat),
    };
    const out = await this.session.run({ ...feeds, ...stateFeeds(this.specs, state) });
    return { state: stateOut(this.specs, out, t), loss: (out.loss.data as Float32Array)[0] };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

type ShapedSpec = { readonly name: string; readonly shape: readonly number[] };

/** The parameters and AdamW moments of `state` as a step graph's inputs (param.*, m.*, v.*). */
export function stateFeeds(specs: readonly ShapedSpec[], state: OptimState): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const s of specs) {
    feeds[names.param(s.name)] = f32(state.params.get(s.name)!, s.shape);
    feeds[names.m(s.name)] = f32(state.m.get(s.name)!, s.shape);
    feeds[names.v(s.name)] = f32(state.v.get(s.name)!, s.shape);
  }
  return feeds;
}

/** The state a step graph hands back (new.param.*, new.m.*, new.v.*), as step `step`. */
export function stateOut(specs: readonly ShapedSpec[], out: ort.InferenceSession.OnnxValueMapType, step: number): OptimState {
  const take = (name: string) => out[name].data as Float32Array;
  const next: OptimState = { params: new Map(), m: new Map(), v: new Map(), step };
  for (const s of specs) {
    next.params.set(s.name, take(names.newParam(s.name)));
    next.m.set(s.name, take(names.newM(s.name)));
    next.v.set(s.name, take(names.newV(s.name)));
  }
  return next;
}
