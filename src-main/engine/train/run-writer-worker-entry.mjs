// From the sources, the writer thread starts as plain Node: register the TypeScript loader, then
// run it (compiled, out/main/run-writer-worker.js runs directly).
import { register } from 'tsx/esm/api';

register();
await import('./run-writer-worker.ts');
