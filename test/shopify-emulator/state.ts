import { randomBytes } from 'node:crypto';
import { CostBucket } from './cost.js';

export const gid = (type: string, id: number | bigint): string => `gid://shopify/${type}/${id}`;
export const legacyId = (globalId: string): number => Number(globalId.split('/').pop());
/** Order and line ids are above 2^53, as real Shopify's are: only a bigint (or a string) holds them exactly. */
export const legacyBigId = (globalId: string): bigint | null => {
  const digits = globalId.split('/').pop() ?? '';
  return /^\d+$/.test(digits) ? BigInt(digits) : null;
};

export interface LineItem {
  id: bigint;
  sku: string | null;
  title: string;
  quantity: number;
  /** Quantity minus what edits and refunds removed (Shopify's current_quantity). */
  currentQuantity: number;
  price: string;
  variantId: number | null;
  productId: number | null;
  /** Units shipped by fulfillments so far. */
  fulfilledQuantity: number;
  /** The location whose fulfillment order holds this line (Shopify assigns each line to one). */
  locationId: number;
}

/** A shipment of some of an order's units, with the carrier's tracking, as fulfillmentCreate records it. */
export interface Fulfillment {
  id: bigint;
  createdAt: string;
  locationId: number;
  notifyCustomer: boolean;
  tracking: { company: string | null; number: string | null; url: string | null } | null;
  lines: Array<{ lineItemId: bigint; quantity: number }>;
}

/** orderCancel runs as a job: the order is cancelled when the job finishes. */
export interface CancelJob {
  id: bigint;
  orderId: bigint;
  restock: boolean;
  reason: string;
  staffNote: string | null;
  notifyCustomer: boolean;
  doneAt: number;
  done: boolean;
}

export interface Order {
  id: bigint;
  name: string;
  orderNumber: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  /** The buyer's e-mail (Shopify's `email`; null for an order without one, such as a POS sale). */
  email: string | null;
  financialStatus: 'pending' | 'authorized' | 'paid' | 'partially_refunded' | 'refunded' | 'voided';
  cancelReason: string | null;
  lineItems: LineItem[];
  refunds: Refund[];
  fulfillments: Fulfillment[];
  /** Locations whose fulfillment order a merchant put on hold (fulfilment cannot start there). */
  heldLocations: number[];
}

export type RestockType = 'no_restock' | 'cancel' | 'return' | 'legacy_restock';

export interface RefundLine {
  id: bigint;
  lineItemId: bigint;
  quantity: number;
  restockType: RestockType;
}

export interface Refund {
  id: bigint;
  createdAt: string;
  lines: RefundLine[];
}

export interface WebhookSubscription {
  id: number;
  topic: string;
  uri: string;
  format: 'JSON';
  createdAt: string;
  updatedAt: string;
}

export interface AccessToken {
  token: string;
  scope: string;
  expiresAt: number | null;
}

export interface Location {
  id: number;
  name: string;
  isActive: boolean;
}

/** A shop's locations: the primary one (where Shopify puts inventory by default) is not first by name. */
export const DEFAULT_LOCATIONS: Location[] = [
  { id: 1, name: 'Main warehouse', isActive: true },
  { id: 2, name: 'Amsterdam pop-up store', isActive: true },
];

export interface Variant {
  id: number;
  productId: number;
  sku: string | null;
  price: string;
  inventoryItemId: number;
}

export interface ShopProduct {
  id: number;
  title: string;
  status: string;
  variantIds: number[];
}

export interface Collection {
  id: number;
  title: string;
  /** Products come from sources; the emulator keeps the hand-picked (conditions) sources only. */
  sources: Array<{ id: number; title: string; productIds: Set<number> }>;
}

export const collectionProducts = (c: Collection): Set<number> => new Set(c.sources.flatMap((s) => [...s.productIds]));

export class ShopState {
  readonly collections = new Map<number, Collection>();
  readonly products = new Map<number, ShopProduct>();
  readonly variants = new Map<number, Variant>();
  /** Available quantity per inventory item and location. */
  private readonly levels = new Map<string, number>();
  /** SKUs the shop refuses in productSet (to test partial failures). */
  readonly rejectedSkus = new Set<string>();
  readonly locations: Location[] = DEFAULT_LOCATIONS.map((l) => ({ ...l }));
  primaryLocationId = 1;
  readonly tokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, { expiresAt: number; scope: string }>();
  readonly codes = new Map<string, { scope: string; used: boolean; issuedAt: number }>();
  readonly webhookSubscriptions = new Map<number, WebhookSubscription>();
  readonly orders = new Map<bigint, Order>();
  readonly cancelJobs = new Map<bigint, CancelJob>();
  readonly bucket: CostBucket;
  installed = true;

  constructor(
    readonly domain: string,
    bucketSize: number,
    restoreRate: number,
  ) {
    this.bucket = new CostBucket(bucketSize, restoreRate);
  }

  level(itemId: number, locationId = this.primaryLocationId): number {
    return this.levels.get(`${locationId}:${itemId}`) ?? 0;
  }

  setLevel(itemId: number, quantity: number, locationId = this.primaryLocationId): void {
    this.levels.set(`${locationId}:${itemId}`, quantity);
  }

  hasLocation(locationId: number): boolean {
    return this.locations.some((l) => l.id === locationId);
  }

  get name(): string {
    return this.domain.replace(/\.myshopify\.com$/, '');
  }
}

let counter = 1000;
export const nextId = (): number => ++counter;
/** Starts where Shopify's published examples are (820982911946154508), well above Number.MAX_SAFE_INTEGER. */
let bigCounter = 820982911946154508n;
export const nextBigId = (): bigint => ++bigCounter;

/**
 * JSON as Shopify writes it: a bigint id is a plain JSON number with every digit (JSON.stringify refuses
 * bigints; a `number` would round them).
 */
export function shopifyJson(value: unknown): string {
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `\u0000big:${v}` : v));
  return marked.replace(/"\\u0000big:(\d+)"/g, '$1');
}

/** JSON for the control API, read by tests with JSON.parse: bigints become strings, so no digit is lost. */
export function controlJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
export const randomToken = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;
