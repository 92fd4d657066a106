import { DomainError } from '../../common/errors/domain-error.js';
import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { StockChangedEvent } from './stock-changed.event.js';

export interface MovementRequest {
  productId: string;
  delta: number;
  reason: string;
  /** Unique per product: applying the same reference twice changes nothing the second time. */
  reference: string;
}

export interface MovementResult extends MovementRequest {
  businessId: string;
  /** False when a movement with this reference was already applied earlier. */
  applied: boolean;
  stock: number;
}

export interface ApplyOptions {
  /** Orders may oversell (the sale already happened); manual adjustments may not go below zero. */
  allowNegative: boolean;
}

/**
 * Work another module needs done inside the transaction of a stock change (the ecommerce outbox), without the
 * POS knowing who does it.
 */
export type StockTransactionHook = (manager: EntityManager, businessId: string, applied: MovementResult[]) => Promise<void>;

@Injectable()
export class StockService {
  private readonly hooks: StockTransactionHook[] = [];
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

  registerTransactionHook(hook: StockTransactionHook): void {
    this.hooks.push(hook);
  }

  /** A manual adjustment in its own transaction; `stock.changed` is emitted once it has committed. */
  async adjust(businessId: string, movement: MovementRequest): Promise<MovementResult> {
    const [result] = await this.dataSource.transaction((manager) =>
      this.apply(manager, businessId, [movement], { allowNegative: false }),
    );
    this.emitChanges([result]);
    return result;
  }

  /**
   * Applies movements inside the caller's transaction. Each product row is locked (in id order, so two
   * transactions never deadlock) before its ledger row is inserted; a reference seen before is skipped,
   * because `unique(product_id, reference)` refuses it.
   */
  async apply(
    manager: EntityManager,
    businessId: string,
    movements: MovementRequest[],
    options: ApplyOptions,
  ): Promise<MovementResult[]> {
    const ordered = [...movements].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    const results = new Map<MovementRequest, MovementResult>();
    for (const movement of ordered) {
      // One round trip: lock the product row, insert the ledger row unless its reference exists (or the stock
      // would go negative where that is not allowed), and move the stock only when the ledger row went in.
      const rows: Array<{ current: number | null; updated: number | null }> = await manager.query(
        `WITH locked AS (
           SELECT id, stock FROM product WHERE id = $1 AND business_id = $2 FOR UPDATE
         ), inserted AS (
           INSERT INTO stock_movement (business_id, product_id, delta, reason, reference, stock_after)
           SELECT $2, id, $3, $4, $5, stock + $3 FROM locked WHERE $6 OR stock + $3 >= 0
           ON CONFLICT (product_id, reference) DO NOTHING
           RETURNING stock_after
         ), updated AS (
           UPDATE product SET stock = inserted.stock_after, updated_at = now() FROM inserted WHERE product.id = $1
           RETURNING product.stock
         )
         SELECT (SELECT stock FROM locked) AS current, (SELECT stock FROM updated) AS updated`,
        [movement.productId, businessId, movement.delta, movement.reason, movement.reference, options.allowNegative],
      );
      const { current, updated } = rows[0] ?? { current: null, updated: null };
      if (current === null) throw new DomainError('not_found', `Product ${movement.productId} not found in business ${businessId}`);
      if (updated === null && !options.allowNegative && current + movement.delta < 0) {
        throw new DomainError('conflict', 
          `Stock of product ${movement.productId} is ${current}; a change of ${movement.delta} would make it negative`,
        );
      }
      results.set(movement, { ...movement, businessId, applied: updated !== null, stock: updated ?? current });
    }
    const all = movements.map((movement) => results.get(movement)!);
    const applied = all.filter((r) => r.applied);
    if (applied.length > 0) for (const hook of this.hooks) await hook(manager, businessId, applied);
    return all;
  }

  /**
   * `apply` for many movements of many businesses in one statement, for batched order ingestion (which may
   * oversell, so there is no floor). The same guarantees: product rows locked in id order, a reference seen before
   * changes nothing, stock moves only by the ledger rows that went in. Results come back in input order.
   */
  /** The ledger rows of a business whose reference starts with one of the prefixes (an order's movements), oldest first. */
  movementsByReference(businessId: string, prefixes: string[]): Promise<Array<{ productId: string; delta: number; reason: string; reference: string; stockAfter: number; createdAt: Date }>> {
    return this.dataSource.query(
      `SELECT product_id AS "productId", delta, reason, reference, stock_after AS "stockAfter", created_at AS "createdAt"
       FROM stock_movement WHERE business_id = $1 AND reference LIKE ANY($2::text[]) ORDER BY created_at, reference`,
      [businessId, prefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)],
    );
  }

  async applyBatch(manager: EntityManager, movements: Array<MovementRequest & { businessId: string }>): Promise<MovementResult[]> {
    if (movements.length === 0) return [];
    const rows: Array<{ n: number; applied: boolean; stock: number | null }> = await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS m(business_id, product_id, delta, reason, reference, n)
       ), locked AS (
         SELECT id, business_id, stock FROM product WHERE id IN (SELECT product_id FROM input) ORDER BY id FOR UPDATE
       ), fresh AS (
         SELECT i.*, l.stock + sum(i.delta) OVER (PARTITION BY i.product_id ORDER BY i.n) AS stock_after
         FROM input i JOIN locked l ON l.id = i.product_id AND l.business_id = i.business_id
         WHERE NOT EXISTS (SELECT 1 FROM stock_movement s WHERE s.product_id = i.product_id AND s.reference = i.reference)
       ), inserted AS (
         INSERT INTO stock_movement (business_id, product_id, delta, reason, reference, stock_after)
         SELECT business_id, product_id, delta, reason, reference, stock_after FROM fresh ORDER BY n
         ON CONFLICT (product_id, reference) DO NOTHING
         RETURNING product_id, reference, delta, stock_after
       ), totals AS (
         SELECT product_id, sum(delta)::int AS delta FROM inserted GROUP BY product_id
       ), updated AS (
         -- A data-modifying CTE always runs to completion, read or not.
         UPDATE product p SET stock = p.stock + t.delta, updated_at = now() FROM totals t WHERE p.id = t.product_id
       )
       SELECT i.n::int AS n, (ins.reference IS NOT NULL) AS applied, COALESCE(ins.stock_after, l.stock) AS stock
       FROM input i
       LEFT JOIN inserted ins ON ins.product_id = i.product_id AND ins.reference = i.reference
       LEFT JOIN locked l ON l.id = i.product_id
       ORDER BY i.n`,
      [movements.map((m) => m.businessId), movements.map((m) => m.productId), movements.map((m) => m.delta), movements.map((m) => m.reason), movements.map((m) => m.reference)],
    );
    const results = movements.map((movement, i): MovementResult => {
      const row = rows[i];
      if (row?.stock === null || row?.stock === undefined) throw new DomainError('not_found', `Product ${movement.productId} not found in business ${movement.businessId}`);
      return { ...movement, applied: row.applied, stock: row.stock };
    });
    const byBusiness = new Map<string, MovementResult[]>();
    for (const result of results) if (result.applied) byBusiness.set(result.businessId, [...(byBusiness.get(result.businessId) ?? []), result]);
    for (const [businessId, applied] of byBusiness) for (const hook of this.hooks) await hook(manager, businessId, applied);
    return results;
  }

  /** Call after the transaction that applied `results` has committed. */
  emitChanges(results: MovementResult[]): void {
    for (const r of results) {
      if (!r.applied) continue;
      this.events.emit(
        StockChangedEvent.eventName,
        new StockChangedEvent(r.businessId, r.productId, r.delta, r.stock, r.reason, r.reference),
      );
    }
  }
}
