// From the sources, the batch thread starts as plain Node: register the TypeScript loader, then
// run it (compiled, out/main/batch-worker.js runs directly).
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker.ts');
