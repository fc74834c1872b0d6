// How every call fails, on every transport: a code and a one-line message. A file of its own, free
// of zod, so that a host can map errors without loading the schemas (the CLI's --help stays fast).

/**
 * bad_request: the input is malformed or out of range; not_found: no such run or method;
 * conflict: it collides with a run's or a folder's state; unavailable: it needs what this machine
 * lacks (data, an execution provider, disk space or permission); internal: a defect.
 */
export const API_ERROR_CODES = ['bad_request', 'not_found', 'conflict', 'unavailable', 'internal'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** What a failed call gives back, on either transport. */
export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}
