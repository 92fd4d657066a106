import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Flattens nested class-validator errors into `{field: "lines.0.sku", messages}` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** No request of ours nests deeper than a few levels; this leaves room and stops recursion bombs early. */
export const MAX_JSON_DEPTH = 32;

/** The depth of a parsed JSON value, measured without recursion (the point is to survive hostile depths). */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Validation refuses bodies nested deeper than MAX_JSON_DEPTH before class-transformer walks them: its recursion
 * would otherwise end in a stack overflow (a 500) on a hostile body.
 */
class DepthCheckedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `The ${metadata.type} is nested deeper than ${MAX_JSON_DEPTH} levels`,
        fields: [{ field: metadata.type, messages: [`nested deeper than ${MAX_JSON_DEPTH} levels`] }],
      });
    }
    return super.transform(value, metadata);
  }
}

/** The one global pipe: unknown fields, wrong types and missing fields are a 400 naming each field. */
export function createValidationPipe(): ValidationPipe {
  return new DepthCheckedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: fields.map((f) => f.messages.join(', ')).join('; '),
        fields,
      });
    },
  });
}
