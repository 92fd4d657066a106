import { get, post } from '../api.js';
import { badge, h, inlineForm, table, time } from '../dom.js';
import { actionButton, canAct, withResult } from './roles.js';

/** Every event of the order with its time and where it came from, oldest first. */
function timeline(order) {
  const skuOf = new Map(order.lines.map((l) => [l.productId, l.sku]));
  const entries = [
    ...order.deliveries.map((d) => ({ at: d.receivedAt, kind: 'webhook', text: `${d.topic}: ${d.status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.lastError ? ` (${d.lastError})` : ''}`, delivery: d })),
    ...order.polls.map((p) => ({ at: p.startedAt, kind: 'poll', text: p.message })),
    ...order.logs.map((l) => ({ at: l.startedAt, kind: 'sync log', text: l.message })),
    ...order.stockMovements.map((m) => ({ at: m.createdAt, kind: 'stock', text: `${m.delta > 0 ? '+' : ''}${m.delta} ${skuOf.get(m.productId) ?? m.productId} (${m.reason}); stock now ${m.stockAfter}` })),
    ...(order.forwarding ?? []).flatMap((m) => [
      { at: m.createdAt, kind: 'to ERP', text: `message for "${m.destinationName}" (${m.event}): ${m.status}${m.erpOrderId ? `, ERP order ${m.erpOrderId}` : ''}${m.lastError ? ` (${m.lastError})` : ''}`, message: m },
      ...m.attempts.map((a) => ({ at: a.at, kind: 'ERP answer', text: `${a.statusCode ?? a.error ?? 'no answer'} → ${a.outcome} (${a.trigger}, ${a.durationMs} ms)` })),
    ]),
    ...(order.statusRequests ?? []).flatMap((r) => [
      { at: r.createdAt, kind: 'to shop', text: `${r.action} requested by ${r.requestedBy}: ${r.status}${r.lastError ? ` (${r.lastError})` : ''}` },
      ...r.history.map((a) => ({ at: a.startedAt, kind: 'shop answer', text: `${r.action}: ${a.outcome}${a.error ? ` (${a.error})` : ''} ${JSON.stringify(a.answer)}` })),
    ]),
  ];
  return entries.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

function statusForms(order, role) {
  const allowed = canAct(role);
  const out = h('div', {});
  const fulfil = inlineForm(
    (data) => {
      const body = Object.fromEntries(Object.entries({ trackingCompany: data.trackingCompany, trackingNumber: data.trackingNumber, trackingUrl: data.trackingUrl }).filter(([, v]) => v));
      void withResult(out, async () => `Fulfilment requested: ${(await post(`/ecommerce/orders/${order.id}/fulfillment`, { ...body, notifyCustomer: data.notifyCustomer === 'on' })).requestId}`);
    },
    h('label', {}, 'Carrier', h('input', { name: 'trackingCompany', size: 10 })),
    h('label', {}, 'Tracking number', h('input', { name: 'trackingNumber', size: 18 })),
    h('label', {}, 'Tracking URL', h('input', { name: 'trackingUrl', size: 24 })),
    h('label', {}, 'Tell the customer', h('input', { type: 'checkbox', name: 'notifyCustomer' })),
    h('button', { type: 'submit', disabled: !allowed, title: allowed ? null : 'Needs an admin (or operator) key', 'data-needs': allowed ? null : 'admin' }, 'Fulfil in the shop'),
  );
  const cancel = inlineForm(
    (data) => {
      void withResult(out, async () => `Cancellation requested: ${(await post(`/ecommerce/orders/${order.id}/cancel`, { reason: data.reason, restock: data.restock === 'on', staffNote: data.staffNote || undefined })).requestId}`);
    },
    h('label', {}, 'Reason', h('select', { name: 'reason' }, ['customer', 'declined', 'fraud', 'inventory', 'other', 'staff'].map((r) => h('option', { value: r }, r)))),
    h('label', {}, 'Restock', h('input', { type: 'checkbox', name: 'restock', checked: true })),
    h('label', {}, 'Staff note', h('input', { name: 'staffNote', size: 20 })),
    h('button', { type: 'submit', disabled: !allowed, title: allowed ? null : 'Needs an admin (or operator) key', 'data-needs': allowed ? null : 'admin' }, 'Cancel in the shop'),
  );
  const paid = actionButton('Mark paid in the shop', allowed, () => void withResult(out, async () => `Mark-paid requested: ${(await post(`/ecommerce/orders/${order.id}/mark-paid`)).requestId}`));
  return h('div', { class: 'card' }, h('h2', {}, 'Tell the shop'), fulfil, cancel, paid, out);
}

export async function orderView({ params: [id], role }) {
  const order = await get(`/ecommerce/orders/${id}`);
  const allowed = canAct(role);
  const replay = (delivery) => {
    const out = h('span', {});
    return h('span', {}, actionButton('Replay', allowed, () => void withResult(out, async () => `Replayed: ${(await post(`/ecommerce/webhooks/deliveries/${delivery.id}/replay`)).jobId}`)), out);
  };
  const reprocess = (message) => {
    const out = h('span', {});
    return h('span', {}, actionButton(message.status === 'in_progress' ? 'Send again (force)' : 'Reprocess', allowed, () => void withResult(out, async () => { await post(`/ecommerce/forwarding/messages/${message.id}/reprocess`, message.status === 'in_progress' ? { force: true } : {}); return 'Queued again'; })), out);
  };
  return [
    h('p', {}, h('a', { href: `#/b/${order.businessId}/orders` }, '← Orders of this business')),
    h('h1', {}, `Order ${order.orderNumber} `, badge(order.status)),
    h('div', { class: 'card' }, `${order.provider} order ${order.externalOrderId}, first seen by ${order.source} at ${time(order.ingestedAt)}; payment ${order.financialStatus ?? 'unknown'}, fulfilment ${order.fulfillmentStatus ?? 'unknown'}${order.customerEmail ? `; customer ${order.customerEmail}` : ''}`),
    h('h2', {}, 'Lines'),
    table(
      [
        { title: 'SKU', cell: (l) => l.sku ?? '(none)' },
        { title: 'POS product', cell: (l) => (l.product ? `${l.product.name} (${l.product.sku})` : h('span', { class: 'error' }, 'matches no POS product: stock not moved')) },
        { title: 'Ordered', cell: (l) => l.quantity },
        { title: 'Now', cell: (l) => l.currentQuantity },
        { title: 'Held out of stock', cell: (l) => l.held },
      ],
      order.lines,
    ),
    h('h2', {}, 'Timeline'),
    h('ol', { class: 'timeline' }, timeline(order).map((e) => h('li', {}, h('time', {}, time(e.at)), h('span', { class: 'kind' }, e.kind), e.text, e.delivery ? [' ', replay(e.delivery)] : null, e.message ? [' ', reprocess(e.message)] : null))),
    order.refunds.length ? [h('h2', {}, 'Refunds'), h('ul', {}, order.refunds.map((r) => h('li', {}, `refund ${r.externalId}: ${r.lines.map((l) => `${l.quantity} of line ${l.externalLineId} ${l.restock ? 'restocked' : 'not restocked'}`).join(', ')}`)))] : null,
    statusForms(order, role),
  ];
}
