/** AppError: a stable code from the catalogue, its HTTP status, a message safe to show. */
import { type ErrorCode, errorCatalogue } from '../shared/errors.js';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? errorCatalogue[code].message);
    this.status = errorCatalogue[code].status;
  }
}

export function notFound(what?: string): AppError {
  return new AppError('not_found', what ? `${what} not found.` : undefined);
}
