// From the sources, an analysis worker starts as plain Node: register the TypeScript loader, then
// run the worker (compiled, out/main/analysis-worker.js runs directly).
import { register } from 'tsx/esm/api';

register();
await import('./analysis-worker.ts');
