import { get, post, qs } from '../api.js';
import { badge, h, sleep, table, time } from '../dom.js';
import { actionButton, canAct, withResult } from './roles.js';

/** Follows messages reprocessed in bulk until none is pending, as a progress bar. */
async function follow(businessId, ids, out) {
  const bar = h('progress', { max: ids.length, value: 0 });
  const label = h('span', {}, ` 0 of ${ids.length} sent again`);
  out.replaceChildren(bar, label);
  for (let round = 0; round < 600; round++) {
    const page = await get(`/ecommerce/forwarding/messages${qs({ businessId, limit: 200 })}`);
    const mine = page.items.filter((m) => ids.includes(m.id));
    const done = mine.filter((m) => m.status !== 'pending');
    bar.value = done.length;
    label.textContent = ` ${done.length} of ${ids.length} sent again (${done.filter((m) => m.status === 'in_progress').length} in the ERP, ${done.filter((m) => m.status === 'on_hold').length} on hold again)`;
    if (done.length >= ids.length) return;
    await sleep(500);
  }
}

export async function forwardingView({ params: [businessId], role }) {
  const allowed = canAct(role);
  const [held, destinations] = await Promise.all([get(`/ecommerce/forwarding/messages${qs({ businessId, status: 'on_hold', limit: 100 })}`), get(`/ecommerce/forwarding/destinations${qs({ businessId })}`)]);
  const bulkOut = h('div', {});
  const bulk = actionButton('Reprocess all on hold', allowed, () =>
    void withResult(bulkOut, async () => {
      const answer = await post('/ecommerce/forwarding/reprocess', { businessId, status: 'on_hold' });
      if (answer.reprocessed === 0) return 'Nothing on hold.';
      await follow(businessId, answer.ids, bulkOut);
      return `${answer.reprocessed} message(s) sent again. Reload to see them.`;
    }),
  );
  const reprocess = (m) => {
    const out = h('span', {});
    return h('span', {}, actionButton('Reprocess', allowed, () => void withResult(out, async () => { await post(`/ecommerce/forwarding/messages/${m.id}/reprocess`, {}); return 'Queued again'; })), out);
  };
  return [
    h('h1', {}, 'ERP forwarding'),
    h('h2', {}, 'Destinations'),
    table(
      [
        { title: 'Name', cell: (d) => d.name },
        { title: 'URL', cell: (d) => h('code', {}, d.url) },
        { title: 'Enabled', cell: (d) => (d.enabled ? 'yes' : `no${d.disabledReason ? `: ${d.disabledReason}` : ''}`) },
      ],
      destinations,
      'No ERP destination.',
    ),
    h('h2', {}, 'On hold'),
    h('div', {}, bulk, bulkOut),
    table(
      [
        { title: 'Order', cell: (m) => h('a', { href: `#/o/${m.orderId}` }, m.orderNumber ?? m.orderId) },
        { title: 'Destination', cell: (m) => m.destinationName },
        { title: 'Status', cell: (m) => badge(m.status) },
        { title: 'Last error', cell: (m) => m.lastError ?? '' },
        { title: 'Sends', cell: (m) => m.sends },
        { title: 'Written', cell: (m) => time(m.createdAt) },
        { title: '', cell: (m) => reprocess(m) },
      ],
      held.items,
      'Nothing is on hold.',
    ),
  ];
}
