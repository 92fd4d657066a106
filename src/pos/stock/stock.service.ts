import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
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
      if (current === null) throw new NotFoundException(`Product ${movement.productId} not found in business ${businessId}`);
      if (updated === null && !options.allowNegative && current + movement.delta < 0) {
        throw new ConflictException(
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
