// The one mapping from what the layers below throw to the contract's error codes. The service and
// the run-folder calls both end every failure here, so the CLI (exit codes), the web host (HTTP
// statuses) and Electron (IPC) see one code and one message for one cause.
import { DatasetError } from '../engine/data/dataset';
import { AnalysisError } from '../engine/analysis/interaction';
import { AtlasInputError } from '../engine/analysis/atlas-source';
import { ExecutionProviderError } from '../engine/onnx/session';
import { MemoryLimitError } from '../engine/train/memory';
import { RunDirError } from '../engine/train/run';
import { TaskError } from '../jobs/slurm-task';
import { SlurmError } from '../jobs/slurm';
import { LmDataError } from '../engine/train/lm-data';
import { LmRunError } from '../engine/train/lm-run';
import { CorpusError } from '../engine/text/corpus';
import { TokenizerError } from '../engine/text/tokenizer';
import { RunFileError } from '../engine/train/run-reader';
import { ForeignWeightsError } from '../engine/train/foreign-weights';
import { ExportError, ExportWriteError, OutputFolderError } from '../export/errors';
import { JobError } from '../jobs/train-job';
import { QueryError } from '../store/query';
import { RunEditError } from '../store/run-edits';
import { RunImportError } from '../store/run-import';
import { RunNotFoundError } from '../store/runs';
import { WorkspaceError } from '../store/workspace';
import { ApiError, type ApiErrorCode } from '../common/contract';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Most specific first: each error class and the code it means. */
const CODES: [ErrorClass, ApiErrorCode][] = [
  [RunNotFoundError, 'not_found'],
  // the request is malformed or names something out of range
  [QueryError, 'bad_request'],
  [RunEditError, 'bad_request'],
  [RunImportError, 'bad_request'],
  [ForeignWeightsError, 'bad_request'],
  [AtlasInputError, 'bad_request'],
  [AnalysisError, 'bad_request'],
  // text a language model cannot train on: a corpus or tokenizer file that is not one, a split too short
  [CorpusError, 'bad_request'],
  [TokenizerError, 'bad_request'],
  [LmDataError, 'bad_request'],
  // an export's output folder in the way, or a write that failed, before its bad requests
  [OutputFolderError, 'conflict'],
  [ExportWriteError, 'unavailable'],
  [ExportError, 'bad_request'],
  // it needs what this machine does not have: data, an execution provider, memory
  [DatasetError, 'unavailable'],
  [TaskError, 'unavailable'],
  [SlurmError, 'unavailable'],
  [MemoryLimitError, 'unavailable'],
  [ExecutionProviderError, 'unavailable'],
  // it collides with the state of a run or a folder
  [JobError, 'conflict'],
  [RunDirError, 'conflict'],
  [LmRunError, 'conflict'],
  [RunFileError, 'conflict'],
  [WorkspaceError, 'conflict'],
];

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const code = CODES.find(([type]) => e instanceof type)?.[1];
  if (code) return new ApiError(code, (e as Error).message);
  // a file system refusal (no space, no permission) is about the request's folder, not a bug
  const errno = e as NodeJS.ErrnoException;
  if (errno instanceof Error && typeof errno.code === 'string' && /^E[A-Z]+$/.test(errno.code)) return new ApiError('unavailable', errno.message);
  return new ApiError('internal', e instanceof Error ? e.message : String(e));
}

/** Runs `f` now, mapping whatever it throws through toApiError. */
export function mappedNow<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toApiError(e);
  }
}

/** Runs `f`, mapping whatever it throws (synchronously or not) through toApiError. */
export async function mapped<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toApiError(e);
  }
}
