import { BadRequestException } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Keyset position: the sort timestamp and the id of the last item of a page. */
export interface CursorPosition {
  at: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      if (!Number.isNaN(Date.parse(value[0]))) return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException('cursor is invalid');
}

/** Builds a page from `limit + 1` fetched rows: the extra row only proves there is a next page. */
export function toPage<T, V>(rows: T[], limit: number, position: (row: T) => CursorPosition, view: (row: T) => V) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null,
  };
}

/**
 * Newest-first keyset paging on (timestamp, id). The timestamp is compared at millisecond precision, the precision
 * a cursor carries, so rows written within the same millisecond are neither skipped nor repeated.
 */
export function newestFirst<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, alias: string, column: string, limit: number, cursor?: string): SelectQueryBuilder<T> {
  const at = `date_trunc('milliseconds', "${alias}"."${column}")`;
  query.orderBy(at, 'DESC').addOrderBy(`"${alias}"."id"`, 'DESC').limit(limit + 1);
  if (cursor) {
    const position = decodeCursor(cursor);
    query.andWhere(`(${at}, "${alias}"."id") < (:cursorAt, :cursorId)`, { cursorAt: new Date(position.at), cursorId: position.id });
  }
  return query;
}
