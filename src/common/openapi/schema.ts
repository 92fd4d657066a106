import type { ApiResponseSchemaHost } from '@nestjs/swagger';

/**
 * Small builders for the response schemas of answers that are plain objects rather than DTO classes. Every key is
 * required unless listed in `optional`; `test/openapi-conformance.e2e-spec.ts` checks real answers against them.
 */
export type Schema = ApiResponseSchemaHost['schema'] & { properties?: Record<string, Schema> };

export const string = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const uuid: Schema = { type: 'string', format: 'uuid' };
export const dateTime: Schema = { type: 'string', format: 'date-time' };
export const integer: Schema = { type: 'integer' };
export const boolean: Schema = { type: 'boolean' };
export const freeForm: Schema = { type: 'object', additionalProperties: true };
export const oneOfValues = (values: readonly string[], extra: Schema = {}): Schema => ({ type: 'string', enum: [...values], ...extra });
export const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
export const array = (items: Schema): Schema => ({ type: 'array', items });

export function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: 'object', required: Object.keys(properties).filter((key) => !optional.includes(key)), properties };
}

/** A page of a cursor-paged list. */
export const page = (item: Schema): Schema => object({ items: array(item), nextCursor: nullable(string({ description: 'Pass as `cursor` for the next page; null on the last' })) });
