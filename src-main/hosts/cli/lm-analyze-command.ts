// `sqs-workbench analyze <lm run> [--layer L] [--tokens "dog,cat"] [--top-k 32] [--json]`: a
// language model's MLPs read per output token from its weights (analyze-command.ts dispatches
// here on the run's family) and saved in its folder's analysis/.
import { analyzeLmFolder, type LmAnalysisSummary, type RunConfig } from '../../api/lm-run-folders';
import { UsageError } from './usage';

export const LM_ANALYZE_HELP = `
For a language-model run: reads each layer's MLP (or --layer's) for each output token t as the
interaction matrix Q(u), u = W_U[t] ⊙ g_final: its eigenvalues and eigenvectors (by |λ|), how
faithfully x̂ᵀQx̂ stands for uᵀMLP(x̂) over the validation positions (exact for bilinear), and the
tokens whose normalised embeddings project most on the first eigenvector (the direct path).
Writes <run folder>/analysis/lm-spectra.safetensors and lm-summary.json.
  --layer N        one layer (default: every layer)
  --tokens LIST    output tokens, comma-separated, each one token of the run's tokenizer ("dog,cat",
                   "he-she" for a difference); default: the 8 most frequent word tokens of the
                   validation positions
  --top-k N        eigenvalues and eigenvectors kept per layer and token (default 32)
  --json           print {run_dir, layers: [{layer, tokens: [{token, id, eigenvalues, faithfulness, top_tokens}]}]}
`;

export interface LmAnalyzeFlags {
  layer: number | undefined;
  tokens: string | undefined;
  topK: number;
  json: boolean;
}

export function tokenList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (list.length === 0) throw new UsageError(`--tokens: '${raw}' names no token; give them comma-separated, e.g. --tokens "dog,cat"`);
  return list;
}

export async function analyzeLm(dir: string, config: RunConfig, o: LmAnalyzeFlags, workspaceDir?: string): Promise<string> {
  const summary = await analyzeLmFolder(dir, config, { layer: o.layer, tokens: tokenList(o.tokens), topK: o.topK, workspaceDir });
  return o.json ? JSON.stringify({ run_dir: summary.run_dir, layers: summary.layers }) + '\n' : describe(summary);
}

function describe(s: LmAnalysisSummary): string {
  const lines = [`${s.gate} language model, d_model ${s.d_model}, ${s.positions} validation positions${s.exact ? ' (x̂ᵀQx̂ is exact for a bilinear MLP)' : ' (a first-order reading)'}; tokens ${s.tokens_from === 'given' ? 'as given' : 'the most frequent word tokens'} (${s.seconds.toFixed(1)} s)`];
  for (const l of s.layers) {
    lines.push(`layer ${l.layer}`, `  token          top |λ|    corr.    rel. err.  first eigenvector's top tokens`);
    for (const t of l.tokens) {
      const top = t.top_tokens.slice(0, 5).map((x) => JSON.stringify(x.text)).join(' ');
      lines.push(`  ${t.token.replaceAll('▁', ' ').padEnd(12).slice(0, 12)} ${Math.abs(t.eigenvalues[0] ?? 0).toExponential(2).padStart(9)} ${t.faithfulness.correlation.toFixed(4).padStart(8)} ${t.faithfulness.relative_error.toExponential(2).padStart(11)}  ${top}`);
    }
  }
  lines.push(`written to ${s.run_dir}/analysis/`);
  return lines.join('\n') + '\n';
}
