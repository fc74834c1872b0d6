// Shared by the service and web-host tests: a temporary workspace, tiny training configs, and
// waiting for events.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ApiError, type Api, type ApiErrorCode, type ApiEvent, type RunStatus } from '../../src-main/common/contract';

export const tempWorkspace = (): string => mkdtempSync(join(tmpdir(), 'sqs-api-'));

/** A few seconds of training on the bundled digits. */
export const TINY = { d: 16, h: 16, batch: 1024, epochs: 2, noise: 0, lr: 0.01 } as const;

export const FINAL: readonly RunStatus[] = ['completed', 'failed', 'diverged', 'interrupted', 'cancelled'];

/** Records events; `until` resolves once one matches (with a clear failure after `ms`). */
export class EventLog {
  readonly events: ApiEvent[] = [];
  private waiters: { match: (e: ApiEvent) => boolean; done: (e: ApiEvent) => void }[] = [];

  push = (e: ApiEvent): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.match(e) ? (w.done(e), false) : true));
  };

  until(match: (e: ApiEvent) => boolean, what: string, ms = 120_000): Promise<ApiEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event ${what} within ${ms} ms; got ${JSON.stringify(this.events.slice(-5))}`)), ms);
      this.waiters.push({ match, done: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  finalStatus(runId: number): Promise<ApiEvent> {
    return this.until((e) => e.type === 'status' && e.runId === runId && FINAL.includes(e.status), `final status of run ${runId}`);
  }

  of(runId: number, type: ApiEvent['type']): ApiEvent[] {
    return this.events.filter((e) => e.runId === runId && e.type === type);
  }
}

/** The ApiError a call fails with (the test fails if the call succeeds or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<{ code: ApiErrorCode; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).toJSON();
  }
  throw new Error('the call succeeded');
}

/** A bilinear and an SQS run trained to completion in `service` (their ids, in that order). */
export async function trainBilinearAndSqs(service: Api, log: EventLog): Promise<[number, number]> {
  const a = (await service.call('train.start', { config: { ...TINY, gate: 'bilinear' } })).runId;
  const b = (await service.call('train.start', { config: { ...TINY, gate: 'sqs' } })).runId;
  for (const id of [a, b]) expect(await log.finalStatus(id)).toMatchObject({ status: 'completed' });
  return [a, b];
}

/** A second or two of language-model training on the shipped stories. */
export const TINY_LM = { family: 'lm', vocab: 256, d_model: 32, heads: 2, d_hidden: 64, ctx: 32, batch: 4, steps: 20, eval_every: 10, warmup: 2, lr: 3e-3 } as const;
