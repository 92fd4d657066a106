import { ApiError, del, get, post, qs } from '../api.js';
import { h, inlineForm, table, time } from '../dom.js';
import { actionButton, canAdmin, withResult } from './roles.js';

/** A secret shown this once: the API keeps only a hash or a sealed copy. */
const once = (label, secret) => h('div', { class: 'notice', role: 'status' }, `${label} (shown this once, copy it now): `, h('code', { class: 'secret' }, secret));

/** A form of named text inputs that posts its values and shows what came back. */
function postForm(title, fields, allowed, submit) {
  const out = h('div', {});
  const form = inlineForm(
    (data) => {
      out.replaceChildren(h('span', { class: 'muted' }, 'Working…'));
      submit(data)
        .then((node) => out.replaceChildren(node))
        .catch((error) => out.replaceChildren(h('div', { class: 'error', role: 'alert' }, error.message)));
    },
    fields.map(([name, label, attrs = {}]) => h('label', {}, label, attrs.options ? h('select', { name }, attrs.options.map((o) => h('option', { value: o }, o))) : h('input', { name, size: attrs.size ?? 24, type: attrs.type ?? 'text', required: attrs.required ?? true }))),
    h('button', { class: 'primary', type: 'submit', disabled: !allowed, title: allowed ? null : 'Needs an admin key', 'data-needs': allowed ? null : 'admin' }, title),
  );
  return h('div', {}, form, out);
}

export async function settingsView({ params: [businessId], role }) {
  const admin = canAdmin(role);
  const connection = await get(`/ecommerce/connection${qs({ businessId })}`).catch((error) => (error instanceof ApiError && error.status === 404 ? null : Promise.reject(error)));
  const sources = await get(`/ecommerce/sources${qs({ businessId })}`);
  const destinations = await get(`/ecommerce/forwarding/destinations${qs({ businessId })}`);
  const keys = admin ? await get('/admin/api-keys') : null;

  const connect = postForm('Connect a Shopify shop', [['shop', 'Shop domain', { size: 30 }]], admin, async ({ shop }) => {
    const { authorizeUrl } = await post('/ecommerce/connect', { businessId, shop });
    // Only ever an http(s) link, and the one the API answered.
    const safe = /^https?:\/\//.test(authorizeUrl) ? authorizeUrl : '#';
    return h('div', { class: 'notice' }, 'Approve the app in the shop: ', h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, 'open Shopify'));
  });
  const catalogOut = h('span', {});
  const catalog = actionButton('Push the catalog to Shopify', role === 'admin' || role === 'operator', () =>
    void withResult(catalogOut, async () => {
      const job = await post('/ecommerce/sync/products', { businessId });
      location.hash = `#/jobs/${encodeURIComponent(job.jobId)}`;
      return `Started job ${job.jobId}`;
    }),
  );
  const woo = postForm(
    'Add a WooCommerce store',
    [
      ['storeUrl', 'Store URL', { size: 30 }],
      ['consumerKey', 'Consumer key'],
      ['consumerSecret', 'Consumer secret', { type: 'password' }],
    ],
    admin,
    async (data) => {
      const source = await post('/ecommerce/sources/woocommerce', { businessId, ...data });
      return h('div', { class: 'notice' }, `Connected ${source.name}: webhooks registered, polling scheduled.`);
    },
  );
  const signed = postForm('Add a signed-webhook source (Apicbase)', [['name', 'Name']], admin, async ({ name }) => {
    const source = await post('/ecommerce/sources/signed-webhook', { businessId, name, preset: 'apicbase' });
    return h('div', {}, h('div', { class: 'notice' }, 'The sender posts to ', h('code', {}, source.webhookUrl)), once('Signing secret', source.secret));
  });
  const erp = postForm(
    'Add an ERP destination',
    [
      ['name', 'Name'],
      ['url', 'URL', { size: 30 }],
    ],
    admin,
    async (data) => {
      const destination = await post('/ecommerce/forwarding/destinations', { businessId, ...data });
      return once(`Signing secret of ${destination.name}`, destination.secret);
    },
  );
  const rotate = (d) => {
    const out = h('span', {});
    return h('span', {}, actionButton('Rotate secret', admin, () => void post(`/ecommerce/forwarding/destinations/${d.id}/rotate-secret`).then((r) => out.replaceChildren(once('New signing secret', r.secret))).catch((e) => out.replaceChildren(h('span', { class: 'error' }, e.message))), 'an admin key'), out);
  };
  const newKey = postForm(
    'Create an API key',
    [
      ['name', 'Name'],
      ['role', 'Role', { options: ['support', 'operator', 'admin'] }],
    ],
    admin,
    async (data) => {
      const created = await post('/admin/api-keys', data);
      return once(`Key "${created.name}" (${created.role})`, created.key);
    },
  );
  const revoke = (k) => {
    const out = h('span', {});
    return h('span', {}, actionButton('Delete', admin, () => void del(`/admin/api-keys/${k.id}`).then(() => out.replaceChildren('deleted')).catch((e) => out.replaceChildren(h('span', { class: 'error' }, e.message))), 'an admin key'), out);
  };

  return [
    h('h1', {}, 'Sources and settings'),
    admin ? null : h('div', { class: 'notice' }, `Changing settings needs an admin key; this ${role} key may only look.`),
    h('h2', {}, 'Shopify'),
    connection ? h('div', { class: 'card' }, `${connection.shop}: ${connection.status}; scopes ${connection.scopes.join(', ')}; connected ${time(connection.connectedAt)}`) : h('p', { class: 'muted' }, 'Not connected.'),
    connect,
    h('div', {}, catalog, catalogOut),
    h('h2', {}, 'Other order sources'),
    table(
      [
        { title: 'Kind', cell: (s) => s.provider },
        { title: 'Name', cell: (s) => s.name },
        { title: 'Status', cell: (s) => s.status },
        { title: 'Last error', cell: (s) => s.lastError ?? '' },
      ],
      sources,
    ),
    woo,
    signed,
    h('h2', {}, 'ERP destinations'),
    table(
      [
        { title: 'Name', cell: (d) => d.name },
        { title: 'URL', cell: (d) => h('code', {}, d.url) },
        { title: '', cell: (d) => rotate(d) },
      ],
      destinations,
      'No ERP destination.',
    ),
    erp,
    h('h2', {}, 'API keys'),
    keys
      ? table(
          [
            { title: 'Name', cell: (k) => k.name },
            { title: 'Role', cell: (k) => k.role },
            { title: 'Last used', cell: (k) => time(k.lastUsedAt) || 'never' },
            { title: '', cell: (k) => revoke(k) },
          ],
          keys.items,
          'No API key yet.',
        )
      : h('p', { class: 'muted' }, 'Only an admin key may list keys.'),
    newKey,
  ];
}
