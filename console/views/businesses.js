import { get, qs } from '../api.js';
import { badge, barChart, h, route, routeQuery, table, time } from '../dom.js';

/** Red when nothing moves (no connection, Redis, schedules or workers), amber when something needs a look: as the API judges. */
const verdict = (flags) => (flags.some((f) => f.item === 'connection' || f.item === 'redis' || f.item === 'schedule' || f.item.startsWith('queue:')) ? 'red' : flags.length > 0 ? 'amber' : 'green');

const flagList = (flags) => (flags.length === 0 ? h('span', { class: 'muted' }, 'All well') : h('ul', { class: 'flags' }, flags.map((f) => h('li', {}, h('strong', {}, f.item), ': ', f.reason))));

export async function businessesView() {
  const { cursor } = routeQuery();
  const page = await get(`/ecommerce/businesses${qs({ limit: 50, cursor })}`);
  return [
    h('h1', {}, 'Businesses'),
    table(
      [
        { title: 'Business', cell: (b) => h('a', { href: `#/b/${b.id}` }, b.name) },
        { title: 'Sources', cell: (b) => b.sources.map((s) => h('div', {}, `${s.kind}: ${s.shop} (${s.status})`)) },
        { title: 'Health', cell: (b) => badge(b.health) },
        { title: 'What needs a look', cell: (b) => flagList(b.flags) },
      ],
      page.items,
      'No business has a shop or source yet.',
    ),
    page.nextCursor ? h('p', {}, h('a', { href: route('/', { cursor: page.nextCursor }) }, 'Next page →')) : null,
  ];
}

export async function businessView({ params: [businessId] }) {
  const [status, activity] = await Promise.all([get(`/ecommerce/status${qs({ businessId })}`), get(`/ecommerce/activity${qs({ businessId })}`)]);
  const hour = (iso) => time(iso).slice(11, 16);
  const connection = status.connection;
  return [
    h('h1', {}, 'Sync health ', badge(verdict(status.flags))),
    h('div', { class: 'card' }, flagList(status.flags)),
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Shopify'),
        connection ? [h('div', {}, `${connection.shop}: `, badge(connection.status)), h('div', { class: 'muted' }, `last synced ${time(status.lastSyncedAt) || 'never'}`)] : h('p', { class: 'muted' }, 'No Shopify connection.'),
        status.sources.length ? [h('h2', {}, 'Other sources'), status.sources.map((s) => h('div', {}, `${s.provider}: ${s.name} (${s.status})`, s.lastError ? h('div', { class: 'error' }, s.lastError) : null))] : null,
      ),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Last 24 hours'),
        h('div', {}, `Deliveries: ${Object.entries(status.deliveries24h).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`),
        h('div', {}, `Inventory outbox: ${status.outbox.pending} waiting`),
        h('div', {}, `Status requests: ${status.statusSync.pending} pending, ${status.statusSync.failed} failed`),
      ),
    ),
    h(
      'div',
      { class: 'charts' },
      barChart('Webhook deliveries per hour', activity.hours.map((a) => ({ label: hour(a.hour), value: a.deliveries }))),
      barChart('Orders ingested per hour', activity.hours.map((a) => ({ label: hour(a.hour), value: a.orders }))),
      barChart('ERP forwarding delay per hour (median)', activity.hours.map((a) => ({ label: hour(a.hour), value: a.forwardingDelayP50Ms })), (ms) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`)),
    ),
  ];
}
