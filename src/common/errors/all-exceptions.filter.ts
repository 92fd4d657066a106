import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { DomainError, HTTP_STATUS_OF } from './domain-error.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_INVALID_TEXT = '22P02';
const PG_OUT_OF_RANGE = '22003';

/**
 * One place that turns every error into a JSON answer. Known database errors caused by input become 4xx;
 * anything unexpected is logged with its stack and answered as a 500 without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = this.toBody(exception);
    if ((exception instanceof HttpException || exception instanceof DomainError) && body.statusCode >= 500) {
      this.logger.warn({ method: request.method, path: request.path, status: body.statusCode }, body.message);
    } else if (body.statusCode >= 500) {
      this.logger.error(
        { err: exception, method: request.method, path: request.path },
        `Unhandled error on ${request.method} ${request.path}`,
      );
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const status = HTTP_STATUS_OF[exception.code];
      return { statusCode: status, error: statusText(status), message: exception.message, code: exception.code };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const answer = exception.getResponse();
      if (typeof answer === 'string') return { statusCode: status, error: statusText(status), message: answer };
      const object = answer as Record<string, unknown>;
      const message = Array.isArray(object.message)
        ? object.message.join('; ')
        : typeof object.message === 'string'
          ? object.message
          : exception.message;
      return { ...object, statusCode: status, error: statusText(status), message };
    }
    if (exception instanceof EntityNotFoundError) {
      return { statusCode: 404, error: 'Not Found', message: 'Not found' };
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string; detail?: string }).code;
      if (code === PG_UNIQUE_VIOLATION) return { statusCode: 409, error: 'Conflict', message: 'Already exists' };
      if (code === PG_FOREIGN_KEY_VIOLATION) return { statusCode: 404, error: 'Not Found', message: 'A referenced record does not exist' };
      if (code === PG_INVALID_TEXT || code === PG_OUT_OF_RANGE) {
        return { statusCode: 400, error: 'Bad Request', message: 'A value has the wrong format or is out of range' };
      }
    }
    const status = bodyParserStatus(exception);
    if (status) {
      return { statusCode: status, error: statusText(status), message: (exception as Error).message };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' };
  }
}

/** body-parser reports malformed JSON (400), oversized bodies (413) and bad charsets (415) with an HTTP status. */
function bodyParserStatus(exception: unknown): number | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { status, type } = exception as { status?: unknown; type?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') return status;
  return null;
}

function statusText(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
