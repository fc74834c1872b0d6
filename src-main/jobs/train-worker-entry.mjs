// From the sources, a training worker starts as plain Node: register the TypeScript loader, then
// run the worker (compiled, out/main/train-worker.js runs directly).
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
