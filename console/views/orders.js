import { get, qs } from '../api.js';
import { badge, h, inlineForm, route, routeQuery, table, time } from '../dom.js';

const FIELDS = ['q', 'sourceId', 'status', 'from', 'to', 'forwarding'];

export async function ordersView({ params: [businessId] }) {
  const query = routeQuery();
  const sources = await get(`/ecommerce/sources${qs({ businessId })}`).catch(() => []);
  const input = (name, attrs = {}) => h('input', { name, value: query[name] ?? '', ...attrs });
  const select = (name, options) => h('select', { name }, options.map(([value, label]) => h('option', { value, selected: (query[name] ?? '') === value }, label)));
  const form = inlineForm(
    (data) => {
      for (const key of ['from', 'to']) if (data[key]) data[key] = new Date(`${data[key]}T00:00:00Z`).toISOString();
      location.hash = route(`/b/${businessId}/orders`, Object.fromEntries(FIELDS.map((f) => [f, data[f]])));
    },
    h('label', {}, 'Number, order id, SKU or e-mail', input('q', { size: 28, placeholder: '#1042' })),
    h('label', {}, 'Source', select('sourceId', [['', 'any'], ...sources.map((s) => [s.id, `${s.provider}: ${s.name}`])])),
    h('label', {}, 'Status', select('status', [['', 'any'], ['ingested', 'ingested'], ['cancelled', 'cancelled']])),
    h('label', {}, 'From', h('input', { type: 'date', name: 'from', value: query.from?.slice(0, 10) ?? '' })),
    h('label', {}, 'To', h('input', { type: 'date', name: 'to', value: query.to?.slice(0, 10) ?? '' })),
    h('label', {}, 'Forwarding', select('forwarding', [['', 'any'], ['pending', 'pending'], ['in_progress', 'in the ERP'], ['on_hold', 'on hold'], ['none', 'not forwarded']])),
    h('button', { class: 'primary', type: 'submit' }, 'Search'),
  );
  const page = await get(`/ecommerce/orders${qs({ businessId, limit: 50, cursor: query.cursor, ...Object.fromEntries(FIELDS.map((f) => [f, query[f]])) })}`);
  return [
    h('h1', {}, 'Orders'),
    form,
    table(
      [
        { title: 'Order', cell: (o) => h('a', { href: `#/o/${o.id}` }, o.orderNumber) },
        { title: 'Source', cell: (o) => o.provider },
        { title: 'First seen by', cell: (o) => o.source },
        { title: 'Status', cell: (o) => badge(o.status) },
        { title: 'Ingested', cell: (o) => time(o.ingestedAt) },
        { title: 'Lines', cell: (o) => o.lines.map((l) => h('div', {}, `${l.currentQuantity} of ${l.quantity} × ${l.sku ?? '(no SKU)'}`)) },
        { title: 'Customer', cell: (o) => o.customerEmail ?? '' },
      ],
      page.items,
      'No order matches.',
    ),
    page.nextCursor ? h('p', {}, h('a', { href: route(`/b/${businessId}/orders`, { ...query, cursor: page.nextCursor }) }, 'Next page →')) : null,
  ];
}
