// A corpus tokenised once, kept in a compact file per (corpus, tokenizer) and reused by every
// run: documents joined by the end-of-text id, as Uint16 when the vocabulary allows, else
// Uint32. The header names both sha256s and the payload's own, so a file that is corrupt,
// truncated or made for other inputs is never trusted: it is rebuilt.
//
// Layout (little-endian): magic "SQSTOKNS" · u32 version · u32 bytes per token · u32 vocab size
// · u32 train documents · u32 valid documents · u32 0 · u64 train tokens · u64 valid tokens
// · 32 bytes corpus sha256 · 32 bytes tokenizer sha256 · 32 bytes payload sha256 · payload.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file';
import { corpusFingerprint, readCorpus } from './corpus';
import type { TextSpec } from './spec';
import type { Tokenizer } from './tokenizer';

export type TokenArray = Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

export interface TokenizedCorpus {
  /** training documents' ids, END_OF_TEXT between documents */
  train: TokenArray;
  valid: TokenArray;
  trainDocs: number;
  validDocs: number;
  vocabSize: number;
  eotId: number;
  /** where the text came from, in words */
  source: string;
  corpusSha256: string;
  tokenizerSha256: string;
  /** the cache file */
  path: string;
  /** whether the cache file was there and sound (false: the corpus was tokenised now) */
  reused: boolean;
}

const MAGIC = 'SQSTOKNS';
const VERSION = 1;
export const TOKEN_CACHE_HEADER_BYTES = 144;
const DOCS_PER_BATCH = 2048;

/** The cache file for a corpus and a tokenizer, under `cacheDir`. */
export function tokenCachePath(cacheDir: string, corpusSha256: string, tokenizerSha256: string): string {
  return join(cacheDir, `${corpusSha256.slice(0, 16)}-${tokenizerSha256.slice(0, 16)}.tokens`);
}

const bytesPerToken = (vocab: number): 2 | 4 => (vocab <= 65536 ? 2 : 4);

/** The tokens of `spec`'s corpus under `tokenizer`: from the cache when it holds them, else tokenised and cached. */
export async function tokenizedCorpus(spec: string | TextSpec, tokenizer: Tokenizer, cacheDir: string): Promise<TokenizedCorpus> {
  const { sha256, source } = corpusFingerprint(spec);
  const path = tokenCachePath(cacheDir, sha256, tokenizer.sha256);
  const base = { vocabSize: tokenizer.vocabSize, eotId: tokenizer.eotId, source, corpusSha256: sha256, tokenizerSha256: tokenizer.sha256, path };
  const cached = readTokenCache(path, sha256, tokenizer.sha256, tokenizer.vocabSize);
  if (cached) return { ...base, ...cached, reused: true };

  const corpus = readCorpus(spec);
  const train = await tokenizeDocs(corpus.train, tokenizer);
  const valid = await tokenizeDocs(corpus.valid, tokenizer);
  const file = encodeTokenCache({ train, valid, trainDocs: corpus.train.length, validDocs: corpus.valid.length }, sha256, tokenizer.sha256, tokenizer.vocabSize);
  mkdirSync(cacheDir, { recursive: true });
  writeFileAtomic(path, file);
  return { ...base, ...decodeTokenCache(file, sha256, tokenizer.sha256, tokenizer.vocabSize)!, reused: false };
}

/** `docs` tokenised and joined with the end-of-text id between them, in the smallest array that holds the vocabulary. */
export async function tokenizeDocs(docs: readonly string[], tokenizer: Tokenizer): Promise<TokenArray> {
  const make = (n: number): TokenArray => (bytesPerToken(tokenizer.vocabSize) === 2 ? new Uint16Array(n) : new Uint32Array(n));
  let out = make(1 << 16);
  let n = 0;
  const put = (ids: ArrayLike<number>, at: number): void => {
    if (at + ids.length > out.length) {
      const grown = make(Math.max(2 * out.length, at + ids.length));
      grown.set(out.subarray(0, n));
      out = grown;
    }
    out.set(ids, at);
  };
  for (let i = 0; i < docs.length; i += DOCS_PER_BATCH) {
    for (const ids of await tokenizer.encodeBatch(docs.slice(i, i + DOCS_PER_BATCH))) {
      if (n > 0) {
        put([tokenizer.eotId], n);
        n++;
      }
      put(ids, n);
      n += ids.length;
    }
  }
  return out.slice(0, n);
}

interface Payload {
  train: TokenArray;
  valid: TokenArray;
  trainDocs: number;
  validDocs: number;
}

const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The cache file's bytes. */
export function encodeTokenCache(p: Payload, corpusSha256: string, tokenizerSha256: string, vocabSize: number): Uint8Array<ArrayBuffer> {
  const width = bytesPerToken(vocabSize);
  if (p.train.BYTES_PER_ELEMENT !== width || p.valid.BYTES_PER_ELEMENT !== width) throw new Error(`tokens of a ${vocabSize}-token vocabulary take ${width} bytes`);
  const payloadBytes = (p.train.length + p.valid.length) * width;
  const file = new Uint8Array(TOKEN_CACHE_HEADER_BYTES + payloadBytes);
  const view = new DataView(file.buffer);
  file.set(Buffer.from(MAGIC, 'latin1'), 0);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, width, true);
  view.setUint32(16, vocabSize, true);
  view.setUint32(20, p.trainDocs, true);
  view.setUint32(24, p.validDocs, true);
  view.setBigUint64(32, BigInt(p.train.length), true);
  view.setBigUint64(40, BigInt(p.valid.length), true);
  file.set(hexBytes(corpusSha256), 48);
  file.set(hexBytes(tokenizerSha256), 80);
  const payload = file.subarray(TOKEN_CACHE_HEADER_BYTES);
  payload.set(new Uint8Array(p.train.buffer, p.train.byteOffset, p.train.byteLength), 0);
  payload.set(new Uint8Array(p.valid.buffer, p.valid.byteOffset, p.valid.byteLength), p.train.byteLength);
  file.set(createHash('sha256').update(payload).digest(), 112);
  return file;
}

/** The payload of cache bytes made for these inputs, or null when they are anything else (foreign, stale, damaged). */
export function decodeTokenCache(file: Uint8Array<ArrayBuffer>, corpusSha256: string, tokenizerSha256: string, vocabSize: number): (Payload & { vocabSize: number }) | null {
  if (file.length < TOKEN_CACHE_HEADER_BYTES || Buffer.from(file.subarray(0, 8)).toString('latin1') !== MAGIC) return null;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const width = view.getUint32(12, true);
  if (view.getUint32(8, true) !== VERSION || width !== bytesPerToken(vocabSize) || view.getUint32(16, true) !== vocabSize) return null;
  if (!sameBytes(file.subarray(48, 80), hexBytes(corpusSha256)) || !sameBytes(file.subarray(80, 112), hexBytes(tokenizerSha256))) return null;
  const nTrain = Number(view.getBigUint64(32, true));
  const nValid = Number(view.getBigUint64(40, true));
  if (file.length !== TOKEN_CACHE_HEADER_BYTES + (nTrain + nValid) * width) return null;
  const payload = file.subarray(TOKEN_CACHE_HEADER_BYTES);
  if (!sameBytes(createHash('sha256').update(payload).digest(), file.subarray(112, 144))) return null;
  const Ctor = width === 2 ? Uint16Array : Uint32Array;
  // the header is a multiple of 4 bytes long, so the payload's views need no copy
  const at = file.byteOffset + TOKEN_CACHE_HEADER_BYTES;
  const train = new Ctor(file.buffer, at, nTrain);
  const valid = new Ctor(file.buffer, at + nTrain * width, nValid);
  for (const a of [train, valid]) for (let i = 0; i < a.length; i++) if (a[i] >= vocabSize) return null;
  return { train, valid, trainDocs: view.getUint32(20, true), validDocs: view.getUint32(24, true), vocabSize };
}

/** The cache file's payload when it is there and sound for these inputs; null otherwise. */
export function readTokenCache(path: string, corpusSha256: string, tokenizerSha256: string, vocabSize: number): (Payload & { vocabSize: number }) | null {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return null;
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = statSync(path).size;
    // one buffer of the file's size, read in pieces: it may exceed what one read call takes
    const file = new Uint8Array(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, file, got, Math.min(size - got, 2 ** 30), got);
      if (n === 0) return null;
      got += n;
    }
    return decodeTokenCache(file, corpusSha256, tokenizerSha256, vocabSize);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The entropy in nats of the tokens' unigram distribution: what a model that ignores context reaches at best. */
export function unigramEntropy(tokens: ArrayLike<number>, vocab: number): number {
  const counts = new Float64Array(vocab);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!(t >= 0 && t < vocab)) throw new RangeError(`token ${t} at ${i} is outside a ${vocab}-token vocabulary`);
    counts[t]++;
  }
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / tokens.length) * Math.log(c / tokens.length);
  return h;
}
