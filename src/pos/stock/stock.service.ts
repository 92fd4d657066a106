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

@Injectable()
export class StockService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventEmitter2,
  ) {}

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
   * transactions never deadlock) before its ledger row is inserted; a reference seen before is skipped.
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
      const rows: Array<{ stock: number }> = await manager.query(
        'SELECT stock FROM product WHERE id = $1 AND business_id = $2 FOR UPDATE',
        [movement.productId, businessId],
      );
      const current = rows[0];
      if (!current) throw new NotFoundException(`Product ${movement.productId} not found in business ${businessId}`);
      const next = current.stock + movement.delta;
      if (!options.allowNegative && next < 0) {
        throw new ConflictException(
          `Stock of product ${movement.productId} is ${current.stock}; a change of ${movement.delta} would make it negative`,
        );
      }
      const inserted: unknown[] = await manager.query(
        `INSERT INTO stock_movement (business_id, product_id, delta, reason, reference, stock_after)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (product_id, reference) DO NOTHING RETURNING id`,
        [businessId, movement.productId, movement.delta, movement.reason, movement.reference, next],
      );
      const applied = inserted.length === 1;
      if (applied) {
        await manager.query('UPDATE product SET stock = $1, updated_at = now() WHERE id = $2', [next, movement.productId]);
      }
      results.set(movement, { ...movement, businessId, applied, stock: applied ? next : current.stock });
    }
    return movements.map((movement) => results.get(movement)!);
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
