/** One error handler: AppError as itself, framework errors mapped to catalogue codes, anything else a logged 500. */
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { type ErrorBody, type ErrorCode, errorCatalogue } from '../../shared/errors.js';
import { databaseRetryAfterSeconds, isDatabaseUnavailable } from '../db/database-unavailable.js';
import { isStorageFull, noteStorageFull } from '../db/storage-full.js';
import { AppError } from '../errors.js';

const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
};

export function sendError(reply: FastifyReply, code: ErrorCode, message?: string, details?: unknown): FastifyReply {
  const body: ErrorBody = {
    error: { code, message: message ?? errorCatalogue[code].message, ...(details !== undefined ? { details } : {}) },
    requestId: reply.request.id,
  };
  return reply.code(errorCatalogue[code].status).type('application/json; charset=utf-8').send(body);
}

/**
 * 503 with Retry-After: the database is restarting or unreachable, so the same request is likely to
 * work in a few seconds (a load balancer or client may retry it). Logged as a warning, without the
 * stack: during an outage every request lands here, and the cause is the outage, not the code.
 */
export function sendDatabaseUnavailable(log: FastifyBaseLogger, reply: FastifyReply, error: unknown): FastifyReply {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  log.warn({ code, reason: message }, 'database unavailable');
  reply.header('retry-after', String(databaseRetryAfterSeconds));
  return sendError(reply, 'database_unavailable');
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: unknown[]; message?: string } };
}

function validationDetails(error: FastifyError): { path: string; message: string }[] {
  return (error.validation ?? []).map((v: ValidationIssue) => {
    const issuePath = v.params?.issue?.path;
    const path = Array.isArray(issuePath)
      ? issuePath.join('.')
      : (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    return { path, message: v.params?.issue?.message ?? v.message ?? 'is not valid' };
  });
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return sendError(reply, error.code, error.message, error.details);
    if (error.validation) {
      const details = validationDetails(error);
      const first = details[0];
      const message = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : undefined;
      return sendError(reply, 'validation_failed', message, details);
    }
    const mapped = error.code ? frameworkCodes[error.code] : undefined;
    if (mapped) return sendError(reply, mapped);
    if (error.statusCode === 429) return sendError(reply, 'rate_limited');
    // PostgreSQL's numeric_value_out_of_range: a number from the request beyond an integer column
    // (SQLite finds nothing instead). The input is at fault; the net under the routes' own checks.
    if ((error as { code?: unknown }).code === '22003') {
      request.log.info({ code: '22003' }, 'number out of range');
      return sendError(reply, 'bad_request', 'A number in the request is larger than Convene accepts.');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code }, 'client error');
      return sendError(reply, error.statusCode === 404 ? 'not_found' : 'bad_request');
    }
    if (isDatabaseUnavailable(error)) return sendDatabaseUnavailable(request.log, reply, error);
    if (isStorageFull(error)) {
      noteStorageFull(app.ctx.db, app.ctx.clock.now());
      request.log.error(
        { code: (error as { code?: unknown }).code },
        'the database disk is full; the write was refused',
      );
      return sendError(reply, 'storage_full');
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'internal_error');
  });
}

/**
 * Errors Fastify raises before routing (a URL that does not decode, a path parameter over the
 * router's length limit), which would otherwise answer in Fastify's own shape with the URL echoed.
 * No hooks have run for them, so the security headers are set here.
 */
export function sendFrameworkError(error: FastifyError, reply: FastifyReply): FastifyReply {
  reply
    .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
    .header('x-content-type-options', 'nosniff')
    .header('x-request-id', reply.request.id);
  return sendError(reply, error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'not_found' : 'bad_request');
}
