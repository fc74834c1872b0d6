// The registry of model families: what the workbench trains, and what it can do with a trained
// model of each: the GLU classifier and the language model (a transformer with GLU MLPs). A family
// declares its capabilities, and every question "can this run be read, explained, compared" is
// asked here. A stored config without a `family` key is a classifier (every config written before
// language models). Node-free: the contract names the families.
import { gateInfo, type GateName } from './gates';

/** What can be done with a trained model, in words that finish "no interaction matrices to …". */
export const CAPABILITIES = {
  /** eigen-decompose the interaction matrices into features (the atlas) */
  readFeatures: 'read features from',
  /** split one input's logit into per-feature contributions */
  explainInputs: 'explain an input with',
  /** match its features against another run's */
  compareFeatures: 'compare features with',
} as const;
export type Capability = keyof typeof CAPABILITIES;

export interface ModelFamily {
  readonly name: string;
  readonly label: string;
  /** what the family supports at all; each also needs a gate with a gate product */
  readonly capabilities: readonly Capability[];
}

const FAMILY_LIST = [
  {
    name: 'classifier',
    label: 'GLU classifier',
    capabilities: ['readFeatures', 'explainInputs', 'compareFeatures'],
  },
  // a language model's MLPs are read per output token (analysis/lm-*.ts), not in the classifier atlas
  { name: 'lm', label: 'language model', capabilities: ['readFeatures', 'explainInputs', 'compareFeatures'] },
] as const satisfies readonly ModelFamily[];

export type FamilyName = (typeof FAMILY_LIST)[number]['name'];
export const FAMILIES: readonly ModelFamily[] = FAMILY_LIST;
export const DEFAULT_FAMILY: FamilyName = 'classifier';

/** The family of a run's config; no `family` key means the classifier. */
export function familyOf(config: object): ModelFamily {
  const name = (config as { family?: unknown }).family ?? DEFAULT_FAMILY;
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`unknown model family '${String(name)}'; known: ${FAMILIES.map((x) => x.name).join(', ')}`);
  return f;
}

/** null when a model of this config can do `what`, else why not, in one sentence. */
export function unsupported(config: { gate: GateName; family?: string }, what: Capability): string | null {
  const family = familyOf(config);
  if (!family.capabilities.includes(what)) return `a ${family.label} has nothing to ${CAPABILITIES[what]}`;
  if (!gateInfo(config.gate).product) return `a ${config.gate} model has no gate product, hence no interaction matrices to ${CAPABILITIES[what]}`;
  return null;
}
