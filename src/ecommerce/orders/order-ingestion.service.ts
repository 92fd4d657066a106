import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { MetricsService } from '../../metrics/metrics.service.js';
import { StockService, type MovementRequest, type MovementResult } from '../../pos/stock/stock.service.js';
import { ProductMappingRepository } from '../catalog-sync/product-mapping.repository.js';
import { SyncLogService, type SyncLogEntry } from '../sync-log/sync-log.service.js';
import { InboxRepository } from '../webhooks/inbox.repository.js';
import { IngestedOrderRepository } from './ingested-order.repository.js';
import { stateOfNewOrder, targetHeld, withRefund, withVersion, type OrderState, type StoredLine } from './holdings.js';
import type { OrderSource } from './ingested-order.entity.js';
import type { OrderChange, OrderLine, OrderSourceRef } from './order.js';

export type IngestOutcome = 'ingested' | 'changed' | 'cancelled' | 'duplicate' | 'stale' | 'unknown_order';

export interface IngestResult {
  outcome: IngestOutcome;
  /** Our id of the order; null for a refund of an order not seen yet. */
  orderId: string | null;
}

export interface IngestEntry {
  connection: OrderSourceRef;
  change: OrderChange;
  source: OrderSource;
  /** The delivery that carried the change: marked processed in the ingestion's own transaction. */
  deliveryId?: string;
  pollRunId?: string;
  /** Added to the order's sync log details (the queue job that carried it). */
  logDetails?: Record<string, unknown>;
  /** When the change reached us; a version dated later than this counts as dated now. */
  receivedAt?: Date;
}

/** What changed about one order in an ingestion: what follows an order change (forwarding, status sync) keys on it. */
export interface OrderChangeEvent {
  orderId: string;
  connection: OrderSourceRef;
  externalOrderId: string;
  /** placed: first seen; edited, refunded, cancelled: a later change that told something new. */
  cause: 'placed' | 'edited' | 'refunded' | 'cancelled';
  state: OrderState;
}

/**
 * Runs inside the ingestion's transaction with every order change it made, like StockService's transaction hook:
 * whatever a hook writes (an outbox row) commits with the order, or not at all.
 */
export type OrderChangeHook = (manager: EntityManager, changes: OrderChangeEvent[]) => Promise<void>;

/** Test seam: runs inside the ingestion transaction, just before commit (a crash there must roll back all). */
export type BeforeCommitHook = (entries: IngestEntry[]) => Promise<void> | void;

/** "Order" for Shopify's (as ever); other sources' orders say where they came from. */
const orderLabel = (provider: string) => (provider === 'woocommerce' ? 'WooCommerce order' : provider === 'signed_webhook' ? 'Signed-webhook order' : 'Order');

/** The ledger reference of a line's n-th stock movement; the connection keeps two sources' order 1001 apart. */
export const orderMovementRef = (connectionId: string, order: string, line: string, n: number) => `order:${connectionId}:${order}:${line}:${n}`;

const key = (connectionId: string, externalId: string) => `${connectionId}\n${externalId}`;
const orderIdOf = (change: OrderChange) => (change.kind === 'version' ? change.order.externalId : change.orderExternalId);

interface Tracked {
  id: string;
  externalId: string;
  connection: OrderSourceRef;
  state: OrderState;
  /** The entry whose version created the row in this batch (its state is already that version's). */
  createdBy: IngestEntry | null;
  /** Whether stock has been moved for this order yet (false only for an order new in this batch). */
  placed: boolean;
  dirty: boolean;
}

/**
 * The one path by which orders and their later changes enter the POS, for every channel; one order is a batch
 * of one. In one transaction it matches lines to products, inserts the orders it has not seen (the
 * `ON CONFLICT DO NOTHING` gate), locks the ones it has, folds each change into the stored state by the holding
 * rules, and moves stock by the difference between what each line held and what it must hold now: each
 * movement a ledger row with a reference unique per product. Sync logs and the delivery marks commit with it.
 */
@Injectable()
export class OrderIngestionService {
  beforeCommit: BeforeCommitHook | null = null;
  private readonly hooks: OrderChangeHook[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stock: StockService,
    private readonly syncLog: SyncLogService,
    private readonly metrics: MetricsService,
    private readonly orders: IngestedOrderRepository,
    private readonly mappings: ProductMappingRepository,
    private readonly inbox: InboxRepository,
  ) {}

  registerChangeHook(hook: OrderChangeHook): void {
    this.hooks.push(hook);
  }

  async ingestOne(entry: IngestEntry): Promise<IngestResult> {
    return (await this.ingest([entry]))[0];
  }

  async ingest(entries: IngestEntry[]): Promise<IngestResult[]> {
    if (entries.length === 0) return [];
    const applied: MovementResult[] = [];
    const results = await this.dataSource.transaction(async (manager) => {
      const products = await this.matchLines(manager, entries);
      const tracked = new Map<string, Tracked>();
      await this.insertNew(manager, entries, products, tracked);
      await this.lockKnown(manager, entries, tracked);

      const results: IngestResult[] = [];
      const movements: Array<MovementRequest & { businessId: string }> = [];
      const logs: SyncLogEntry[] = [];
      const events: OrderChangeEvent[] = [];
      for (const [i, entry] of entries.entries()) {
        const order = tracked.get(key(entry.connection.id, orderIdOf(entry.change)));
        if (!order) {
          results.push({ outcome: 'unknown_order', orderId: null });
          continue;
        }
        results.push(this.fold(entry, order, products[i], movements, logs, events));
      }
      applied.push(...(await this.stock.applyBatch(manager, movements)));
      await this.orders.saveStates(manager, [...tracked.values()].filter((o) => o.dirty));
      await this.syncLog.recordMany(logs, manager);
      if (events.length > 0) for (const hook of this.hooks) await hook(manager, events);
      const processed = entries.filter((e, i) => e.deliveryId && results[i].outcome !== 'unknown_order').map((e) => e.deliveryId!);
      await this.inbox.markProcessed(manager, processed);
      if (this.beforeCommit) await this.beforeCommit(entries);
      return results;
    });
    this.stock.emitChanges(applied);
    for (const [i, result] of results.entries()) this.metrics.ordersIngested.inc({ source: entries[i].source, result: result.outcome });
    return results;
  }

  /** One change folded into its order's state, the stock it moves, and the sync log that says so. */
  private fold(
    entry: IngestEntry,
    order: Tracked,
    productOf: (line: OrderLine) => string | null,
    movements: Array<MovementRequest & { businessId: string }>,
    logs: SyncLogEntry[],
    events: OrderChangeEvent[],
  ): IngestResult {
    const receivedAt = entry.receivedAt ?? new Date();
    const before = order.state;
    const placing = !order.placed;
    let after: OrderState;
    let outcome: IngestOutcome;
    if (entry === order.createdBy) {
      after = before;
      outcome = 'ingested';
    } else if (entry.change.kind === 'refund') {
      after = withRefund(before, entry.change.refund);
      outcome = after === before ? 'duplicate' : 'changed';
    } else {
      const merged = withVersion(before, entry.change.order, receivedAt, productOf);
      after = merged.state;
      const factsAdded = after.refunds.length !== before.refunds.length || (after.cancelledAt !== null) !== (before.cancelledAt !== null);
      outcome = merged.newer || factsAdded ? 'changed' : entry.change.order.updatedAt.getTime() < before.updatedAt.getTime() ? 'stale' : 'duplicate';
    }
    if (placing) outcome = 'ingested';
    const target = targetHeld(after);
    const cause: OrderChangeEvent['cause'] = placing ? 'placed' : after.cancelledAt && !before.cancelledAt ? 'cancelled' : after.refunds.length > before.refunds.length ? 'refunded' : 'edited';
    const moved: Array<{ line: StoredLine; from: number; to: number }> = [];
    const lines = after.lines.map((line, index) => {
      const to = target[index];
      if (to === line.held || line.productId === null) return line;
      movements.push({
        businessId: order.connection.businessId,
        productId: line.productId,
        delta: line.held - to,
        reason: cause === 'placed' ? 'online_order' : `online_order_${cause}`,
        reference: orderMovementRef(order.connection.id, order.externalId, line.externalLineId, line.moves),
      });
      moved.push({ line, from: line.held, to });
      return { ...line, held: to, moves: line.moves + 1 };
    });
    order.state = { ...after, lines };
    order.placed = true;
    // A new row was inserted holding nothing yet; a known one changes only when the change told something new.
    order.dirty = order.dirty || placing || (outcome !== 'duplicate' && outcome !== 'stale');
    if ((outcome === 'changed' || outcome === 'ingested') && after.cancelledAt && (placing || !before.cancelledAt)) outcome = 'cancelled';
    if (placing || outcome === 'changed' || outcome === 'cancelled') {
      logs.push(this.logEntry(entry, order, cause, moved));
      events.push({ orderId: order.id, connection: order.connection, externalOrderId: order.externalId, cause, state: order.state });
    }
    return { outcome, orderId: order.id };
  }

  private logEntry(entry: IngestEntry, order: Tracked, cause: string, moved: Array<{ line: StoredLine; from: number; to: number }>): SyncLogEntry {
    const { state, connection } = order;
    const label = (line: StoredLine) => line.sku ?? `line ${line.externalLineId}`;
    const details = {
      ...entry.logDetails,
      orderId: order.id,
      externalOrderId: order.externalId,
      provider: connection.provider,
      deliveryId: entry.deliveryId ?? null,
      pollRunId: entry.pollRunId ?? null,
      cause,
      movements: moved.map(({ line, from, to }) => ({ externalLineId: line.externalLineId, sku: line.sku, productId: line.productId, held: { from, to } })),
    };
    if (cause === 'placed') {
      const unmatched = state.lines.filter((line) => line.productId === null);
      const verb = state.cancelledAt ? 'already cancelled, stock untouched' : `stock decremented for ${moved.length} line(s)`;
      return {
        businessId: connection.businessId,
        connectionId: connection.id,
        type: 'order',
        direction: 'inbound',
        status: unmatched.length > 0 ? 'partial' : 'success',
        processed: state.lines.length - unmatched.length,
        failed: unmatched.length,
        message:
          `${orderLabel(connection.provider)} ${state.name} ingested from ${entry.source}: ${verb}` +
          (unmatched.length > 0 ? `; ${unmatched.length} line(s) match no POS product (${unmatched.map((l) => l.sku ?? `variant ${l.variantId ?? '?'}`).join(', ')})` : ''),
        details: { ...details, unmatched: unmatched.map(({ sku, variantId, quantity, externalLineId }) => ({ sku, variantId, quantity, externalLineId })) },
      };
    }
    const changes = moved.map(({ line, from, to }) => `line ${label(line)} ${from} -> ${to}, ${Math.abs(from - to)} ${from > to ? 'returned to stock' : 'taken from stock'}`);
    return {
      businessId: connection.businessId,
      connectionId: connection.id,
      type: 'order',
      direction: 'inbound',
      status: 'success',
      processed: moved.length,
      message: `${orderLabel(connection.provider)} ${state.name} ${cause} (seen by ${entry.source}): ${changes.length > 0 ? changes.join('; ') : 'no stock to move'}`,
      details,
    };
  }

  /** Each version's lines with their POS product, through the product mappings' owner. */
  private async matchLines(manager: EntityManager, entries: IngestEntry[]): Promise<Array<(line: OrderLine) => string | null>> {
    const lines = entries.flatMap((entry, e) =>
      entry.change.kind === 'version'
        ? entry.change.order.lines.map((line) => ({ key: `${e}\n${line.externalLineId}`, connectionId: entry.connection.id, businessId: entry.connection.businessId, variantId: line.variantId, sku: line.sku }))
        : [],
    );
    const found = await this.mappings.matchProducts(manager, lines);
    return entries.map((_, e) => (line: OrderLine) => found.get(`${e}\n${line.externalLineId}`) ?? null);
  }

  /** Inserts the orders first seen here (each with its first version in the batch); tracks the ones that were new. */
  private async insertNew(manager: EntityManager, entries: IngestEntry[], products: Array<(line: OrderLine) => string | null>, tracked: Map<string, Tracked>): Promise<void> {
    const firsts = new Map<string, { entry: IngestEntry; state: OrderState }>();
    for (const [i, entry] of entries.entries()) {
      if (entry.change.kind !== 'version') continue;
      const k = key(entry.connection.id, entry.change.order.externalId);
      if (!firsts.has(k)) firsts.set(k, { entry, state: stateOfNewOrder(entry.change.order, entry.receivedAt ?? new Date(), products[i]) });
    }
    const inserted = await this.orders.insertIfNew(
      manager,
      [...firsts.values()].map(({ entry, state }) => ({ connectionId: entry.connection.id, businessId: entry.connection.businessId, provider: entry.connection.provider, externalOrderId: orderIdOf(entry.change), source: entry.source, state })),
    );
    for (const row of inserted) {
      const k = key(row.connectionId, row.externalOrderId);
      const first = firsts.get(k)!;
      tracked.set(k, { id: row.id, externalId: row.externalOrderId, connection: first.entry.connection, state: first.state, createdBy: first.entry, placed: false, dirty: false });
    }
  }

  /** The orders this batch changes that existed before it, locked until the transaction ends. */
  private async lockKnown(manager: EntityManager, entries: IngestEntry[], tracked: Map<string, Tracked>): Promise<void> {
    const wanted = new Map<string, IngestEntry>();
    for (const entry of entries) {
      const k = key(entry.connection.id, orderIdOf(entry.change));
      if (!tracked.has(k) && !wanted.has(k)) wanted.set(k, entry);
    }
    const rows = await this.orders.lockForUpdate(manager, [...wanted.values()].map((e) => ({ connectionId: e.connection.id, externalOrderId: orderIdOf(e.change) })));
    for (const row of rows) {
      const k = key(row.connectionId, row.externalOrderId);
      tracked.set(k, { id: row.id, externalId: row.externalOrderId, connection: wanted.get(k)!.connection, state: row.state, createdBy: null, placed: true, dirty: false });
    }
  }
}
