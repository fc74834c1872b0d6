import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { buildTrainStep, names } from './src-main/engine/train/graphs';
import { makeGate } from './src-main/engine/nn/gates';
import { paramSpecs, initParams } from './src-main/engine/nn/classifier';
import { f32, scalarF32 } from './src-main/engine/onnx/session';
const gateName = process.argv[2] as any;
const dims = { dIn: 784, d: 256, h: 256, classes: 10, layers: 1 };
const gate = makeGate(gateName, { c: 0.01, lambda: 0.5, p: 1 });
const specs = paramSpecs(dims, gate);
const { model } = buildTrainStep(gate, dims, specs, 2048);
const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', enableProfiling: true, profileFilePrefix: '/tmp/prof', extra: { session: { intra_op: { allow_spinning: '0' } } }, });
const feeds: any = { x: f32(new Float32Array(2048*784).fill(0.3), [2048,784]), y: f32(new Float32Array(2048*10).fill(0.1), [2048,10]), decay: scalarF32(1), step_size: scalarF32(1e-3), eps_hat: scalarF32(1e-8) };
const p = initParams(specs, 0);
for (const sp of specs) { feeds[names.param(sp.name)] = f32(p.get(sp.name)!, sp.shape); feeds[names.m(sp.name)] = f32(new Float32Array(sp.shape[0]*sp.shape[1]), sp.shape); feeds[names.v(sp.name)] = f32(new Float32Array(sp.shape[0]*sp.shape[1]), sp.shape); }
for (let i = 0; i < 20; i++) await s.run(feeds);
const file = (s as any).endProfiling ? (s as any).endProfiling() : null;
console.log(file);
const ts: number[] = [];
for (let i = 0; i < 15; i++) { const t = performance.now(); await s.run(feeds); ts.push(performance.now() - t); }
ts.sort((a, b) => a - b); console.log('js median ms', ts[7]);
const ts2: number[] = [];
const fetches = ['loss'];
for (let i = 0; i < 15; i++) { const t = performance.now(); await s.run(feeds, fetches); ts2.push(performance.now() - t); }
ts2.sort((a, b) => a - b); console.log('js median ms loss only', ts2[7]);
