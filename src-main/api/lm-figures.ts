// A language model's figures drawn from the service's own lm.* answers (what the view shows is
// what Export writes), their file names and provenance, and the reader the LM atlas export reads
// through: the service's handlers, or the api's calls for the command line's export into a folder.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../engine/train/run-files';
import { APP_VERSION } from '../common/version';
import type { Figure, Provenance } from '../common/figures/figure';
import { lmCompareFigure, lmContextsFigure, lmExplanationFigure, lmSpectrumFigure, lmTokensFigure, lmTruncationFigure } from '../common/figures';
import { directionSlug } from '../common/figures/lm-common';
import type { FigureOptions } from '../common/figures/style';
import type { Api, FigureSpec } from '../common/contract';
import { writeLmAtlas, type LmAtlasReader, type LmAtlasRequest } from '../export/lm-atlas';
import type { RunRow } from '../store/runs';
import { mapped } from './errors';
import type { LmHandlers } from './lm-atlas-service';

export { DEFAULT_LM_DIRECTIONS } from '../export/lm-atlas';

export type LmFigureSpec = Extract<FigureSpec, { kind: `lm-${string}` }>;

export async function lmFigure(lm: LmHandlers, id: number, spec: LmFigureSpec, provenance: Provenance, options: FigureOptions): Promise<Figure> {
  switch (spec.kind) {
    case 'lm-spectrum':
    case 'lm-truncation': {
      const s = await lm['lm.spectrum']({ id, layer: spec.layer, direction: spec.direction });
      return spec.kind === 'lm-spectrum' ? lmSpectrumFigure(s, provenance, options) : lmTruncationFigure(s, provenance, options);
    }
    case 'lm-tokens':
    case 'lm-contexts': {
      const f = await lm['lm.feature']({ id, layer: spec.layer, direction: spec.direction, rank: spec.rank });
      return spec.kind === 'lm-tokens' ? lmTokensFigure(f, provenance, options) : lmContextsFigure(f, provenance, options);
    }
    case 'lm-explanation': {
      const ex = await lm['lm.explain']({ id, prompt: spec.prompt, direction: spec.direction });
      return lmExplanationFigure(ex, { layer: spec.layer }, { ...provenance, prompt: spec.prompt }, options);
    }
    case 'lm-compare': {
      const c = await lm['lm.compare']({ a: id, b: spec.b, layer: spec.layer, direction: spec.direction });
      return lmCompareFigure(c, { ...provenance, compared_with: { run_id: String(spec.b) } }, options);
    }
  }
}

/** run-12-lm-tokens-layer-1-dog-rank-3: what the file holds, without its contents. */
export function lmFigureFileName(id: number, f: LmFigureSpec): string {
  const parts = [`run-${id}`, f.kind];
  if (f.kind === 'lm-compare') parts.push(`vs-run-${f.b}`);
  if (f.layer !== undefined) parts.push(`layer-${f.layer}`);
  parts.push(directionSlug(f.direction));
  if (f.kind === 'lm-tokens' || f.kind === 'lm-contexts') parts.push(`rank-${f.rank}`);
  return parts.join('-');
}

/** The LM atlas export's reader over one run's lm.* handlers. */
export function lmReader(lm: LmHandlers, id: number): LmAtlasReader {
  return {
    info: async () => lm['lm.info']({ id }),
    spectrum: async (layer, direction) => lm['lm.spectrum']({ id, layer, direction }),
    feature: async (layer, direction, rank) => lm['lm.feature']({ id, layer, direction, rank }),
  };
}

/** A language model's figure provenance: the run, its gate and config, its weights' sha256, the app. */
export function lmProvenance(id: number, run: Pick<RunRow, 'name' | 'config'>, dir: string): Provenance {
  return { run_id: String(id), ...(run.name ? { run_name: run.name } : {}), run_dir: dir, gate: run.config.gate, weights_sha256: weightsSha256(dir), config: run.config, app_version: APP_VERSION };
}

/** The sha256 of a run's weights file, or null when it has none. */
function weightsSha256(dir: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(join(dir, RUN_FILES.weights))).digest('hex');
  } catch {
    return null;
  }
}

/** A workspace language model's atlas written into a folder of the caller's choosing (the command line's --out), read through the api. */
export async function exportLmAtlas(api: Pick<Api, 'call'>, id: number, o: LmAtlasRequest & { outDir: string }): Promise<{ outDir: string; files: string[] }> {
  const { dir, run } = await api.call('runs.show', { id });
  const reader: LmAtlasReader = {
    info: () => api.call('lm.info', { id }),
    spectrum: (layer, direction) => api.call('lm.spectrum', { id, layer, direction }),
    feature: (layer, direction, rank) => api.call('lm.feature', { id, layer, direction, rank }),
  };
  return mapped(() => writeLmAtlas(reader, { ...o, provenance: lmProvenance(id, run, dir) }));
}
