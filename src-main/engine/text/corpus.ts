// The one entry point from a text spec to documents: the synthetic stories, TinyStories as its
// authors distribute it, or the user's own text or JSON-lines files. Files are read in chunks
// (TinyStories' training file is larger than the longest string JavaScript allows) through a
// fatal UTF-8 decoder, and every refusal is one line naming the file.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { statRegularFile, UnreadableFileError } from '../util/regular-file';
import { END_OF_TEXT } from './special-tokens';
import { parseTextSpec, type TextSpec } from './spec';
import { STORIES_DESCRIPTION, STORIES_SEED, STORIES_TRAIN, STORIES_VALID, storiesCorpus } from './stories';

export interface Corpus {
  /** documents, trimmed and never empty */
  train: string[];
  valid: string[];
  /** where the text came from, in words */
  source: string;
  /** hex sha256 over the source bytes: which text a run saw, and the token cache's key */
  sha256: string;
}

/** A corpus that cannot be read; the message names the file and the defect. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

export const TINYSTORIES_TRAIN_FILE = 'TinyStoriesV2-GPT4-train.txt';
export const TINYSTORIES_VALID_FILE = 'TinyStoriesV2-GPT4-valid.txt';

/** The share of a single file's documents, taken from its end, that becomes the validation split. */
export const HELD_OUT_SHARE = 0.05;

const CHUNK = 16 * 2 ** 20;

type Format = 'txt' | 'jsonl';
interface Part {
  path: string;
  format: Format;
}
/** What to read for a spec: both splits from their own files, or one file split at its end. */
type Plan = { kind: 'stories' } | { kind: 'files'; train: Part; valid: Part; source: string } | { kind: 'single'; file: Part; source: string };

function specOf(spec: string | TextSpec): TextSpec {
  if (typeof spec !== 'string') return spec;
  const r = parseTextSpec(spec);
  if (!r.ok) throw new CorpusError(`corpus ${r.error}`);
  return r.value;
}

/** $SQS_DATA/tinystories, where the TinyStories files are looked for. */
export function tinyStoriesDir(): string {
  const data = process.env.SQS_DATA;
  if (!data) throw new CorpusError(`tinystories not found: set SQS_DATA to a folder holding tinystories/${TINYSTORIES_TRAIN_FILE} and ${TINYSTORIES_VALID_FILE}`);
  return join(data, 'tinystories');
}

const formatOf = (path: string): Format => (/\.jsonl$/i.test(path) ? 'jsonl' : 'txt');

/** `dir`'s file for one split: `<split>.txt` or `<split>.jsonl`, exactly one of them. */
function splitFile(dir: string, split: 'train' | 'valid'): Part {
  const found = (['txt', 'jsonl'] as const).filter((ext) => {
    try {
      return statSync(join(dir, `${split}.${ext}`)).isFile();
    } catch {
      return false;
    }
  });
  if (found.length === 0) throw new CorpusError(`${join(dir, `${split}.txt`)}: missing (nor is there a ${split}.jsonl)`);
  if (found.length === 2) throw new CorpusError(`${dir}: holds both ${split}.txt and ${split}.jsonl; keep one`);
  return { path: join(dir, `${split}.${found[0]}`), format: found[0] };
}

function planOf(spec: TextSpec): Plan {
  if (spec.kind === 'stories') return { kind: 'stories' };
  if (spec.kind === 'tinystories') {
    const dir = tinyStoriesDir();
    return {
      kind: 'files',
      train: { path: join(dir, TINYSTORIES_TRAIN_FILE), format: 'txt' },
      valid: { path: join(dir, TINYSTORIES_VALID_FILE), format: 'txt' },
      source: `TinyStories files in ${dir}`,
    };
  }
  let isDir: boolean;
  try {
    isDir = statSync(spec.path).isDirectory();
  } catch {
    throw new CorpusError(`${spec.path}: missing`);
  }
  if (isDir) return { kind: 'files', train: splitFile(spec.path, 'train'), valid: splitFile(spec.path, 'valid'), source: `text files in ${spec.path}` };
  const file = { path: spec.path, format: formatOf(spec.path) };
  return { kind: 'single', file, source: `${basename(spec.path)} (${spec.path}), its last ${HELD_OUT_SHARE * 100}% of documents held out for validation` };
}

/**
 * The file's bytes in chunks, each handed to `each`, after its role and size went into `hash`
 * (so that both splits and the boundary between them count); refuses a missing or empty file.
 */
function readChunks(path: string, hash: Hash, role: string, each: (bytes: Uint8Array) => void): void {
  let size: number;
  try {
    size = statRegularFile(path).size;
  } catch (e) {
    throw e instanceof UnreadableFileError ? new CorpusError(e.message) : e;
  }
  if (size === 0) throw new CorpusError(`${path}: empty`);
  hash.update(`${role} ${size}\n`);
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(Math.min(CHUNK, size));
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      each(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** The text of a file, decoded and handed on piece by piece; refuses bytes that are not UTF-8. */
function readText(path: string, hash: Hash, role: string, each: (text: string) => void): void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes?: Uint8Array): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new CorpusError(`${path}: not UTF-8 text`);
    }
  };
  readChunks(path, hash, role, (bytes) => each(decode(bytes)));
  each(decode());
}

/**
 * Documents of a text file: separated by `<|endoftext|>` (on lines of their own, as TinyStories
 * has them); a file without one is split at blank lines instead.
 */
function readTxt(path: string, hash: Hash, role: string): string[] {
  const docs: string[] = [];
  let carry = '';
  let separated = false;
  readText(path, hash, role, (text) => {
    const parts = (carry + text).split(END_OF_TEXT);
    carry = parts.pop() ?? '';
    if (parts.length > 0) separated = true;
    for (const p of parts) pushDoc(docs, p);
  });
  if (separated) pushDoc(docs, carry);
  else for (const p of carry.split(/\n[ \t\r]*\n/)) pushDoc(docs, p);
  return docs;
}

/** Documents of a JSON-lines file: the string `text` of every non-blank line. */
function readJsonl(path: string, hash: Hash, role: string): string[] {
  const docs: string[] = [];
  let carry = '';
  let line = 0;
  const take = (l: string): void => {
    line++;
    if (l.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch {
      throw new CorpusError(`${path} line ${line}: not JSON`);
    }
    const text = (value as { text?: unknown } | null)?.text;
    if (typeof value !== 'object' || value === null || typeof text !== 'string') throw new CorpusError(`${path} line ${line}: no string "text" field`);
    pushDoc(docs, text);
  };
  readText(path, hash, role, (text) => {
    const lines = (carry + text).split('\n');
    carry = lines.pop() ?? '';
    for (const l of lines) take(l);
  });
  take(carry);
  return docs;
}

function pushDoc(docs: string[], text: string): void {
  const doc = text.trim();
  if (doc !== '') docs.push(doc);
}

function readPart(part: Part, hash: Hash, role: string): string[] {
  const docs = part.format === 'jsonl' ? readJsonl(part.path, hash, role) : readTxt(part.path, hash, role);
  if (docs.length === 0) throw new CorpusError(`${part.path}: no documents${part.format === 'txt' ? ` (only whitespace and ${END_OF_TEXT})` : ''}`);
  return docs;
}

/** How many of `n` documents a single file holds out for validation: the last 5%, at least one. */
export function heldOut(n: number): number {
  return Math.max(1, Math.floor(n * HELD_OUT_SHARE));
}

function storiesHash(train: string[], valid: string[]): string {
  const hash = createHash('sha256');
  hash.update(`stories seed ${STORIES_SEED}\n`);
  for (const [role, docs] of [['train', train], ['valid', valid]] as const) {
    hash.update(`${role} ${docs.length}\n`);
    for (const d of docs) hash.update(`${d}\n${END_OF_TEXT}\n`);
  }
  return hash.digest('hex');
}

/** The corpus a spec names, split into training and validation documents. */
export function readCorpus(spec: string | TextSpec): Corpus {
  const plan = planOf(specOf(spec));
  if (plan.kind === 'stories') {
    const { train, valid } = storiesCorpus(STORIES_SEED, STORIES_TRAIN, STORIES_VALID);
    return { train, valid, source: STORIES_DESCRIPTION, sha256: storiesHash(train, valid) };
  }
  const hash = createHash('sha256');
  if (plan.kind === 'files') {
    const train = readPart(plan.train, hash, 'train');
    const valid = readPart(plan.valid, hash, 'valid');
    return { train, valid, source: plan.source, sha256: hash.digest('hex') };
  }
  const docs = readPart(plan.file, hash, 'single');
  if (docs.length < 2) throw new CorpusError(`${plan.file.path}: one document; at least two are needed to hold the last out for validation`);
  const cut = docs.length - heldOut(docs.length);
  return { train: docs.slice(0, cut), valid: docs.slice(cut), source: plan.source, sha256: hash.digest('hex') };
}

/**
 * The corpus's sha256 and source as readCorpus(spec) gives them, without decoding a document: a
 * cache of its tokens is found by them.
 */
export function corpusFingerprint(spec: string | TextSpec): { sha256: string; source: string } {
  const plan = planOf(specOf(spec));
  if (plan.kind === 'stories') {
    const { sha256, source } = readCorpus(spec);
    return { sha256, source };
  }
  const hash = createHash('sha256');
  const parts: [Part, string][] = plan.kind === 'files' ? [[plan.train, 'train'], [plan.valid, 'valid']] : [[plan.file, 'single']];
  for (const [part, role] of parts) readChunks(part.path, hash, role, () => {});
  return { sha256: hash.digest('hex'), source: plan.source };
}
