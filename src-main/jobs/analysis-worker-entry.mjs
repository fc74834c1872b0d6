// Worker threads start as plain Node: register the TypeScript loader, then run the analysis worker.
import { register } from 'tsx/esm/api';

register();
await import('./analysis-worker.ts');
