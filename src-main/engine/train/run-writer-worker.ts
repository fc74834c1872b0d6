// The thread that writes a run's files while the steps go on (run-writer.ts): the same atomic,
// fsynced writes as ever, one after another in the order they were asked for.
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { writeFileAtomic, WriteError } from '../util/atomic-file';
import { appendMetric } from './run-files';
import type { AnyMetricRecord } from './metric-record';

/** Replace a file of the run folder with these bytes, or append one metrics line. */
export type WriteOp = { op: 'replace'; dir: string; file: string; bytes: Uint8Array } | { op: 'append'; dir: string; record: AnyMetricRecord };
export type WriteReply = { id: number; error?: { message: string; path?: string; reason?: string; code?: string } };

parentPort!.on('message', ({ id, write }: { id: number; write: WriteOp }) => {
  try {
    if (write.op === 'replace') writeFileAtomic(join(write.dir, write.file), write.bytes);
    else appendMetric(write.dir, write.record);
    parentPort!.postMessage({ id } satisfies WriteReply);
  } catch (e) {
    const error = e instanceof WriteError ? { message: e.message, path: e.path, reason: e.reason, code: e.code } : { message: String((e as Error)?.message ?? e) };
    parentPort!.postMessage({ id, error } satisfies WriteReply);
  }
});
