// The model families and what can be done with a trained model: a classifier can be read,
// explained and compared when its gate has a gate product; a stored config without a family is
// a classifier.
import { describe, expect, it } from 'vitest';
import { forward, initParams, paramSpecs } from '../../../src-main/engine/nn/classifier';
import { CAPABILITIES, familyOf, FAMILIES, unsupported, type Capability } from '../../../src-main/engine/nn/families';
import { GATE_NAMES } from '../../../src-main/engine/nn/gates';
import { DEFAULT_CONFIG } from '../../../src-main/engine/train/config';

const ALL = Object.keys(CAPABILITIES) as Capability[];

describe('model families', () => {
  it('a config without a family key is a classifier, with the classifier model functions', () => {
    const f = familyOf(DEFAULT_CONFIG);
    expect(f.name).toBe('classifier');
    expect(f.model).toEqual({ paramSpecs, initParams, forward });
    expect(FAMILIES.map((x) => x.name)).toEqual(['classifier']);
    expect(() => familyOf({ family: 'diffusion' })).toThrow("unknown model family 'diffusion'; known: classifier");
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
