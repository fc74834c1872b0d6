// Runs `serve` the way bin/sqs-workbench.mjs runs every command, until main.ts wires it in.
import { register } from 'tsx/esm/api';

register();
const { serveCommand } = await import('../../../src-main/hosts/cli/serve-command.ts');
process.exitCode = await serveCommand(process.argv.slice(2));
