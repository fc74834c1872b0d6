// The whole eigh suite again with the plain JS kernels forced (SQS_EIGH_KERNELS=js): the path
// taken where WebAssembly SIMD is missing. eigh.test.ts itself runs the default (wasm) path.
import { afterAll, beforeAll, vi } from 'vitest';

beforeAll(() => {
  vi.stubEnv('SQS_EIGH_KERNELS', 'js');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

await import('./eigh.test');
