/** Emitted after the transaction that changed a product's stock has committed. */
export class StockChangedEvent {
  static readonly eventName = 'stock.changed';

  constructor(
    readonly businessId: string,
    readonly productId: string,
    readonly delta: number,
    readonly stock: number,
    readonly reason: string,
    readonly reference: string,
  ) {}
}
