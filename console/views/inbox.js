import { get, post, qs } from '../api.js';
import { badge, h, inlineForm, route, routeQuery, sleep, table, time } from '../dom.js';
import { actionButton, canAct, withResult } from './roles.js';

/** Follows deliveries replayed in bulk until none waits to be processed, as a progress bar. */
async function follow(businessId, ids, out) {
  const bar = h('progress', { max: ids.length, value: 0 });
  const label = h('span', {}, ` 0 of ${ids.length} processed again`);
  out.replaceChildren(bar, label);
  const wanted = new Set(ids);
  for (let round = 0; round < 600; round++) {
    const seen = new Map();
    let cursor;
    do {
      const page = await get(`/ecommerce/webhooks/deliveries${qs({ businessId, limit: 200, cursor })}`);
      for (const d of page.items) if (wanted.has(d.id)) seen.set(d.id, d.status);
      cursor = page.nextCursor;
    } while (cursor && seen.size < wanted.size);
    const settled = [...seen.values()].filter((s) => s !== 'received');
    bar.value = settled.length;
    label.textContent = ` ${settled.length} of ${ids.length} processed again (${settled.filter((s) => s === 'processed').length} processed, ${settled.filter((s) => s === 'failed').length} failed again)`;
    if (settled.length >= ids.length) return;
    await sleep(500);
  }
}

export async function inboxView({ params: [businessId], role }) {
  const query = routeQuery();
  const allowed = canAct(role);
  const sources = await get(`/ecommerce/sources${qs({ businessId })}`).catch(() => []);
  const page = await get(`/ecommerce/webhooks/deliveries${qs({ businessId, status: query.status, sourceId: query.sourceId, limit: 50, cursor: query.cursor })}`);
  const form = inlineForm(
    (data) => {
      location.hash = route(`/b/${businessId}/inbox`, { status: data.status, sourceId: data.sourceId });
    },
    h('label', {}, 'Status', h('select', { name: 'status' }, ['', 'received', 'processed', 'skipped', 'failed'].map((s) => h('option', { value: s, selected: (query.status ?? '') === s }, s || 'any')))),
    h('label', {}, 'Source', h('select', { name: 'sourceId' }, [h('option', { value: '' }, 'any'), ...sources.map((s) => h('option', { value: s.id, selected: query.sourceId === s.id }, `${s.provider}: ${s.name}`))])),
    h('button', { class: 'primary', type: 'submit' }, 'Show'),
  );
  const bulkOut = h('div', {});
  const bulk = actionButton('Replay all failed', allowed, () =>
    void withResult(bulkOut, async () => {
      const answer = await post('/ecommerce/webhooks/deliveries/replay', { businessId, status: 'failed', sourceId: query.sourceId || undefined });
      if (answer.count === 0) return 'No failed delivery to replay.';
      await follow(businessId, answer.ids, bulkOut);
      return `${answer.count} failed deliveries replayed${answer.more ? '; more are left: replay again' : ''}. Reload to see them.`;
    }),
  );
  const replay = (d) => {
    const out = h('span', {});
    return h('span', {}, actionButton('Replay', allowed, () => void withResult(out, async () => `Queued again (job ${(await post(`/ecommerce/webhooks/deliveries/${d.id}/replay`)).jobId})`)), out);
  };
  return [
    h('h1', {}, 'Webhook inbox'),
    form,
    h('div', {}, bulk, bulkOut),
    table(
      [
        { title: 'Received', cell: (d) => time(d.receivedAt) },
        { title: 'Topic', cell: (d) => d.topic },
        { title: 'Status', cell: (d) => badge(d.status) },
        { title: 'Attempts', cell: (d) => d.attempts },
        { title: 'Error', cell: (d) => d.lastError ?? '' },
        { title: 'Webhook id', cell: (d) => h('code', {}, d.webhookId) },
        { title: '', cell: (d) => replay(d) },
      ],
      page.items,
      'No delivery matches.',
    ),
    page.nextCursor ? h('p', {}, h('a', { href: route(`/b/${businessId}/inbox`, { ...query, cursor: page.nextCursor }) }, 'Next page →')) : null,
  ];
}
