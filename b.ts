import { analyzeRun, DEFAULT_ANALYZE } from './src-main/engine/spectra/analyze';
const a = await analyzeRun(process.argv[2], { ...DEFAULT_ANALYZE, topK: 4, maskVectors: Number(process.argv[3]), maskEpsilons: [0, 2, 4, 8, 16] });
for (const c of a.summary.per_class) console.log(c.class, c.top_eigenvalues.map(x=>x.toFixed(2)).join(','), c.adversarial!.map(p => `${p.epsilon}:${p.to_class.toFixed(2)}/${p.random_to_class.toFixed(2)}`).join(' '));
