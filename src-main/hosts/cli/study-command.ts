// `reproduce … --data-efficiency / --report`: the study as a sweep in the workspace, followed here
// until its runs end, then its table printed and, when asked, its report written.
import { resolve } from 'node:path';
import type { StudyPlan } from '../../api/reproduce-study';
import { withService } from './connect';

export async function studyCommand(o: Omit<StudyPlan, 'log'> & { workspace?: string; json: boolean }): Promise<number> {
  return withService({ workspace: o.workspace, concurrency: o.concurrency }, async ({ service, interrupted }) => {
    const { runStudy } = await import('../../api/reproduce-study');
    const off = service.on((e) => {
      if (e.type === 'status' && ['completed', 'failed', 'diverged', 'interrupted'].includes(e.status)) process.stderr.write(`run ${e.runId}: ${e.status}${e.error ? ` (${e.error})` : ''}\n`);
    });
    const started = performance.now();
    try {
      const out = await runStudy(service, { ...o, reportDir: o.reportDir ? resolve(o.reportDir) : null, log: (s) => process.stderr.write(s + '\n') });
      if (interrupted()) process.stderr.write('stopped: finished runs are kept; run the same command again to continue\n');
      const r = out.result;
      if (o.json) process.stdout.write(JSON.stringify({ ...r, unfinished: out.unfinished, report: out.report }) + '\n');
      else {
        const pct = (m: number, s: number) => `${(100 * m).toFixed(2)} ± ${(100 * s).toFixed(2)}`;
        const lines = [`${o.base.dataset}: ${out.runs.length} finished runs (${out.reused} reused), ${((performance.now() - started) / 1000).toFixed(0)} s`];
        lines.push(`gate        runs   test accuracy (%)`);
        for (const a of r.accuracy) lines.push(`${a.gate.padEnd(10)}  ${String(a.accuracy.n).padStart(4)}   ${pct(a.accuracy.mean, a.accuracy.std).padStart(16)}`);
        if (r.percents.length > 1) {
          lines.push(`accuracy (%) by share of the training set: ${r.percents.map((p) => `${p} %`).join(', ')}`);
          for (const g of r.efficiency) lines.push(`${g.gate.padEnd(10)}  ${g.points.map((p) => pct(p.accuracy.mean, p.accuracy.std)).join('   ')}`);
        }
        if (out.unfinished.length) lines.push(`not finished: runs ${out.unfinished.join(', ')}`);
        if (out.report) lines.push(`report: ${out.report.html}`, `        ${out.report.pdf}`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      return out.unfinished.length > 0 || interrupted() ? 1 : 0;
    } finally {
      off();
    }
  });
}
