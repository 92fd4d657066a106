import {
  getNamedType,
  isLeafType,
  isObjectType,
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Shopify's calculated query cost, as its docs describe it: a scalar or enum costs 0, an object 1, a
 * connection 2 plus `first` (or `last`) times the cost of one node, and every mutation 10.
 */
export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  if (operation.operation === OperationTypeNode.MUTATION) {
    return 10 * operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && !s.name.value.startsWith('__')).length;
  }
  const query = schema.getQueryType();
  return query ? selectionCost(operation.selectionSet, query) : 0;

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLObjectType): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isObjectType(type)) total += selectionCost(selection.selectionSet, type);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && isObjectType(type)) total += selectionCost(fragment.selectionSet, type);
        continue;
      }
      const field = parent.getFields()[selection.name.value];
      if (!field) continue;
      const type = getNamedType(field.type);
      if (isLeafType(type) || !isObjectType(type)) continue;
      if (type.name.endsWith('Connection')) {
        const size = argument(selection.arguments ?? [], 'first') ?? argument(selection.arguments ?? [], 'last') ?? 0;
        const { perNode, once } = selection.selectionSet ? connectionCost(selection.selectionSet, type) : { perNode: 1, once: 0 };
        total += 2 + size * Math.max(perNode, 1) + once;
        continue;
      }
      const children = selection.selectionSet ? selectionCost(selection.selectionSet, type) : 0;
      if (type.name.endsWith('Edge')) {
        total += children;
      } else {
        total += 1 + children;
      }
    }
    return total;
  }

  /** A connection's nodes (or edges) are paid per requested node; pageInfo and the like once. */
  function connectionCost(selectionSet: SelectionSetNode, connection: GraphQLObjectType): { perNode: number; once: number } {
    let perNode = 0;
    let once = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
      const field = connection.getFields()[selection.name.value];
      const type = field && getNamedType(field.type);
      if (!type || !isObjectType(type)) continue;
      const children = selectionCost(selection.selectionSet, type);
      if (selection.name.value === 'nodes') perNode = Math.max(perNode, 1 + children);
      else if (selection.name.value === 'edges') perNode = Math.max(perNode, children);
      else once += 1 + children;
    }
    return { perNode, once };
  }

  function argument(args: readonly { name: { value: string }; value: Parameters<typeof valueFromASTUntyped>[0] }[], name: string): number | undefined {
    const node = args.find((a) => a.name.value === name);
    if (!node) return undefined;
    const value = valueFromASTUntyped(node.value, variables);
    return typeof value === 'number' ? value : undefined;
  }
}

/**
 * What the query really cost, counted on the data returned (Shopify refunds the difference): connections
 * cost 2 plus the nodes actually returned, so a page of orders with two line items each is cheap.
 */
export function actualQueryCost(schema: GraphQLSchema, document: DocumentNode, data: unknown): number {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const query = schema.getQueryType();
  if (operation.operation !== OperationTypeNode.QUERY || !query) return -1;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return cost(operation.selectionSet, query, data);

  function cost(selectionSet: SelectionSetNode, parent: GraphQLObjectType, value: unknown): number {
    if (value === null || typeof value !== 'object') return 0;
    const record = value as Record<string, unknown>;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (fragment) total += cost(fragment.selectionSet, parent, value);
        continue;
      }
      const field = parent.getFields()[selection.name.value];
      const type = field && getNamedType(field.type);
      if (!type || !isObjectType(type) || !selection.selectionSet) continue;
      const key = selection.alias?.value ?? selection.name.value;
      const child = record[key];
      const items = Array.isArray(child) ? child : [child];
      for (const item of items) {
        if (item === null || item === undefined) continue;
        const inner = cost(selection.selectionSet, type, item);
        if (type.name.endsWith('Connection')) total += 2 + inner;
        else if (type.name.endsWith('Edge')) total += inner;
        else total += 1 + inner;
      }
    }
    return total;
  }
}

/** The per-shop leaky bucket: drains by query cost, refills at `restoreRate` points per second. */
export class CostBucket {
  private available: number;
  private updatedAt = Date.now();
  /** Points actually spent so far (taken minus refunded), to measure how much of the restore rate a client uses. */
  charged = 0;

  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
  ) {
    this.available = maximumAvailable;
  }

  currentlyAvailable(now = Date.now()): number {
    this.available = Math.min(this.maximumAvailable, this.available + ((now - this.updatedAt) / 1000) * this.restoreRate);
    this.updatedAt = now;
    return Math.floor(this.available);
  }

  /** Takes `cost` points if they are there; false means the request is throttled. */
  take(cost: number): boolean {
    if (this.currentlyAvailable() < cost) return false;
    this.available -= cost;
    this.charged += cost;
    return true;
  }

  refund(points: number): void {
    this.charged -= points;
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  configure(maximumAvailable: number, restoreRate: number): void {
    this.maximumAvailable = maximumAvailable;
    this.restoreRate = restoreRate;
    this.available = maximumAvailable;
    this.updatedAt = Date.now();
  }

  status() {
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: this.currentlyAvailable(), restoreRate: this.restoreRate };
  }
}
