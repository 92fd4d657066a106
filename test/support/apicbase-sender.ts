import { createHmac, randomUUID } from 'node:crypto';

/**
 * A fake Apicbase: posts purchase orders as Apicbase's integrated ordering does (developers.apicbase.com), signed
 * with the hex HMAC-SHA256 of the exact body in X-APIC-WEBHOOK-SIGNATURE, and shows its user whatever we answer.
 */
export interface ApicbasePackage {
  article: string;
  quantity: number;
}

export function purchaseOrder(orderNumber: string, packages: ApicbasePackage[], id = randomUUID()) {
  return {
    id,
    order_number: orderNumber,
    status: 'ORDERED',
    ordered_on: new Date().toISOString(),
    owned_by: { username: 'chef@example.com' },
    order_remarks: null,
    packages: packages.map((p) => ({
      stock_item: { name: `Item ${p.article}` },
      supplier_package: { supplier_article_number: p.article, theoretical_price_per_package: '4.20' },
      quantity_ordered: p.quantity,
      total_theoretical_price: (4.2 * p.quantity).toFixed(2),
    })),
    expected_delivery_date: null,
    theoretical_price: '0.00',
    supplier_customer_number: 'C-1',
  };
}

export async function sendToSource(webhookUrl: string, secret: string, body: unknown, options: { signature?: string; header?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = options.signature ?? createHmac('sha256', secret).update(text).digest('hex');
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [options.header ?? 'X-APIC-WEBHOOK-SIGNATURE']: signature },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
