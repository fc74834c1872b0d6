// The model families and what can be done with a trained model: a classifier can be read,
// explained and compared when its gate has a gate product; a stored config without a family is
// a classifier; a language model is trained, sampled and listed beside classifiers.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, familyOf, FAMILIES, unsupported, type Capability } from '../../../src-main/engine/nn/families';
import { GATE_NAMES } from '../../../src-main/engine/nn/gates';
import { DEFAULT_CONFIG } from '../../../src-main/engine/train/config';
import { DEFAULT_LM_CONFIG } from '../../../src-main/engine/train/lm-config';

const ALL = Object.keys(CAPABILITIES) as Capability[];

describe('model families', () => {
  it('a config without a family key is a classifier; family lm is a language model', () => {
    expect(familyOf(DEFAULT_CONFIG).name).toBe('classifier');
    expect(familyOf(DEFAULT_LM_CONFIG).name).toBe('lm');
    expect(FAMILIES.map((x) => x.name)).toEqual(['classifier', 'lm']);
    expect(() => familyOf({ family: 'diffusion' })).toThrow("unknown model family 'diffusion'; known: classifier, lm");
  });

  it('a language model with a gate product can be read, explained and compared; a ReLU MLP says why not', () => {
    for (const what of ALL) expect(unsupported(DEFAULT_LM_CONFIG, what)).toBeNull();
    expect(unsupported({ ...DEFAULT_LM_CONFIG, gate: 'relu-mlp' }, 'readFeatures')).toBe('a relu-mlp model has no gate product, hence no interaction matrices to read features from');
  });

  it('every gate with a gate product can be read, explained and compared; relu-mlp cannot, and says why', () => {
    for (const gate of GATE_NAMES) {
      for (const what of ALL) {
        const why = unsupported({ gate }, what);
        if (gate === 'relu-mlp') expect(why).toBe(`a relu-mlp model has no gate product, hence no interaction matrices to ${CAPABILITIES[what]}`);
        else expect(why, `${gate} ${what}`).toBeNull();
      }
    }
    expect(unsupported({ gate: 'relu-mlp' }, 'readFeatures')).toBe('a relu-mlp model has no gate product, hence no interaction matrices to read features from');
  });
});
