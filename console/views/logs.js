import { get, qs } from '../api.js';
import { badge, h, inlineForm, route, routeQuery, table, time } from '../dom.js';

const TYPES = ['', 'webhook', 'poll', 'order', 'inventory_push', 'product_sync', 'collection_sync', 'connection', 'forwarding', 'status_sync'];

/** Links from a log to what it concerns: its order, its job, its delivery (in the inbox). */
function links(log, businessId) {
  const d = log.details ?? {};
  return [
    typeof d.orderId === 'string' ? h('div', {}, h('a', { href: `#/o/${encodeURIComponent(d.orderId)}` }, 'order')) : null,
    typeof d.jobId === 'string' ? h('div', {}, h('a', { href: `#/jobs/${encodeURIComponent(d.jobId)}` }, 'job')) : null,
    typeof d.deliveryId === 'string' ? h('div', {}, h('a', { href: route(`/b/${businessId}/inbox`, {}) }, `delivery ${d.deliveryId.slice(0, 8)}`)) : null,
  ];
}

export async function logsView({ params: [businessId] }) {
  const query = routeQuery();
  const page = await get(`/ecommerce/sync/logs${qs({ businessId, type: query.type, status: query.status, from: query.from, to: query.to, limit: 100, cursor: query.cursor })}`);
  const form = inlineForm(
    (data) => {
      for (const key of ['from', 'to']) if (data[key]) data[key] = new Date(`${data[key]}Z`).toISOString();
      location.hash = route(`/b/${businessId}/logs`, data);
    },
    h('label', {}, 'Type', h('select', { name: 'type' }, TYPES.map((t) => h('option', { value: t, selected: (query.type ?? '') === t }, t || 'any')))),
    h('label', {}, 'Status', h('select', { name: 'status' }, ['', 'success', 'partial', 'failed', 'skipped'].map((s) => h('option', { value: s, selected: (query.status ?? '') === s }, s || 'any')))),
    h('label', {}, 'From (UTC)', h('input', { type: 'datetime-local', name: 'from', value: query.from?.slice(0, 16) ?? '' })),
    h('label', {}, 'To (UTC)', h('input', { type: 'datetime-local', name: 'to', value: query.to?.slice(0, 16) ?? '' })),
    h('button', { class: 'primary', type: 'submit' }, 'Show'),
  );
  return [
    h('h1', {}, 'Sync logs'),
    form,
    table(
      [
        { title: 'Time', cell: (l) => time(l.startedAt) },
        { title: 'Type', cell: (l) => `${l.type} (${l.direction})` },
        { title: 'Status', cell: (l) => badge(l.status) },
        { title: 'What happened', cell: (l) => l.message },
        { title: 'Concerns', cell: (l) => links(l, businessId) },
      ],
      page.items,
      'No log matches.',
    ),
    page.nextCursor ? h('p', {}, h('a', { href: route(`/b/${businessId}/logs`, { ...query, cursor: page.nextCursor }) }, 'Older →')) : null,
  ];
}
