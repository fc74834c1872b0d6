// From the sources, the helper thread starts as plain Node: register the TypeScript loader, then
// run the helper (compiled, out/main/eigh-helper.js runs directly).
import { register } from 'tsx/esm/api';

register();
await import('./eigh-helper.ts');
