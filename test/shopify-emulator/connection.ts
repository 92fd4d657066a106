import { GraphQLError } from 'graphql';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

const encode = (index: number): string => Buffer.from(`cursor:${index}`).toString('base64');
const decode = (cursor: string): number => {
  const match = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
  return Number(match[1]);
};

/** Shopify's connection shape (edges, nodes, pageInfo), paged by `first`/`after`, at most 250 per page. */
export function toConnection<T>(items: T[], args: ConnectionArgs) {
  if (args.first === undefined || args.first === null) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  }
  if (args.first < 0 || args.first > 250) {
    throw new GraphQLError(`The connection argument first must be between 0 and 250, got ${args.first}.`, {
      extensions: { code: 'BAD_REQUEST' },
    });
  }
  const start = args.after ? decode(args.after) + 1 : 0;
  const page = items.slice(start, start + args.first);
  const edges = page.map((node, i) => ({ cursor: encode(start + i), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: start + page.length < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
