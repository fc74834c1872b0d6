// Every field of a language model's configuration once, in the same form as the classifier's
// table (train-fields.ts): the schema, the `train --family lm` flags with their --help, the form
// and the sweep grid's keys are made from it. Defaults are DEFAULT_LM_CONFIG's. Node-free.
import { DEFAULT_LM_CONFIG, isLmConfig, lmShapeProblem, LR_SCHEDULES, type LmConfig, type RunConfig } from '../engine/train/lm-config';
import { epField, gateFields, number, type TrainField } from './train-fields';

/** A leaf of an LmConfig: `d_model`, or a gate's parameter `sqs.c`. */
export type LmPath = { [K in keyof LmConfig & string]: LmConfig[K] extends string | number ? (K extends 'family' ? never : K) : `${K}.${keyof LmConfig[K] & string}` }[keyof LmConfig & string];

const WIDTH = { integer: true, min: 1, max: 65_536 };

export const LM_FIELDS: readonly TrainField<LmPath>[] = [
  { kind: 'corpus', path: 'dataset', flag: 'dataset', label: 'corpus', help: 'training text: synthetic children\'s stories (shipped), TinyStories ($SQS_DATA/tinystories), or your own text', group: 'data' },
  { kind: 'file', path: 'tokenizer', flag: 'tokenizer', label: 'tokenizer', help: 'a tokenizer.json to use instead of training a BPE on the corpus', group: 'data' },
  number<LmPath>('vocab', 'vocabulary', 'vocabulary size (BPE tokens, <|endoftext|> included)', { integer: true, min: 3, max: 65_536 }, 'data'),
  ...gateFields<LmPath>(),
  number<LmPath>('layers', 'layers', 'transformer layers', { integer: true, min: 1, max: 48 }, 'model'),
  number<LmPath>('heads', 'heads', 'attention heads (must divide d_model)', { integer: true, min: 1, max: 256 }, 'model'),
  number<LmPath>('d_model', 'd_model', 'residual stream width', WIDTH, 'model'),
  number<LmPath>('d_hidden', 'd_hidden', 'MLP hidden width', WIDTH, 'model'),
  number<LmPath>('ctx', 'context', 'context length in tokens', { integer: true, min: 2, max: 8192 }, 'model'),
  number<LmPath>('batch', 'batch', 'sequences per step', { integer: true, min: 1, max: 65_536 }),
  number<LmPath>('steps', 'steps', 'optimiser steps', { integer: true, min: 1, max: 10_000_000 }),
  number<LmPath>('lr', 'learning rate', 'peak learning rate', { min: 0, above: true }),
  number<LmPath>('wd', 'weight decay', 'AdamW decoupled weight decay (matrices; not norm gains)', { min: 0 }),
  number<LmPath>('warmup', 'warm-up steps', 'linear warm-up steps before the decay', { integer: true, min: 0 }),
  { kind: 'choice', path: 'schedule', flag: 'schedule', label: 'schedule', help: 'learning-rate decay to zero after the warm-up', group: 'training', choices: LR_SCHEDULES, choiceLabels: { cosine: 'cosine', linear: 'linear' } },
  number<LmPath>('clip', 'gradient clip', 'global-norm gradient clipping threshold', { min: 0, above: true }),
  number<LmPath>('eval_every', 'evaluate every', 'steps between evaluations, checkpoints and samples', { integer: true, min: 1 }),
  number<LmPath>('seed', 'seed', 'seed fixing the initialisation and the sampled context windows', { integer: true, min: 0, max: 2 ** 31 - 1 }),
  epField<LmPath>(),
];

export { DEFAULT_LM_CONFIG, isLmConfig, lmShapeProblem, type LmConfig, type RunConfig };
