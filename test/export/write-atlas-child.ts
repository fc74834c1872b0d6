// Run by write-atlas.test.ts in a child process as an unprivileged user (root writes anywhere):
// writes a small synthetic atlas to argv[2] in format argv[3] and prints the outcome as JSON.
import { writeAtlas } from '../../src-main/export/atlas';
import { PROVENANCE, syntheticAtlas } from './fixtures';

const [outDir, format] = process.argv.slice(2);
try {
  const r = await writeAtlas(syntheticAtlas(2, 2), { outDir, format: format as 'svg', provenance: PROVENANCE });
  process.stdout.write(JSON.stringify({ ok: true, files: r.files }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, name: (e as Error).name, message: (e as Error).message }) + '\n');
}
