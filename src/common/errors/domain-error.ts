/**
 * What went wrong, in the domain's words. Services throw these; the HTTP layer (the error filter and the webhook
 * endpoint) maps each code to a status in one table, and background work decides retry-or-not by the code.
 */
export const DOMAIN_ERROR_CODES = ['invalid', 'unauthenticated', 'not_found', 'conflict', 'unprocessable', 'malformed_payload', 'upstream_failed', 'unavailable'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The one mapping to HTTP: a new code fails to compile until it has a status here. */
export const HTTP_STATUS_OF: Record<DomainErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  malformed_payload: 422,
  upstream_failed: 502,
  unavailable: 503,
};

/** Whether doing the same work again can succeed: what a queue job's retries go by. */
export const RETRYABLE: Record<DomainErrorCode, boolean> = {
  invalid: false,
  unauthenticated: false,
  not_found: false,
  conflict: false,
  unprocessable: false,
  malformed_payload: false,
  upstream_failed: true,
  unavailable: true,
};

/** Unknown errors (a lost connection, a bug) are retried: a retry costs little, a lost delivery a lot. */
export function isRetryable(error: unknown): boolean {
  return error instanceof DomainError ? RETRYABLE[error.code] : true;
}
