import { get, session } from './api.js';
import { errorBox, h } from './dom.js';
import { businessesView, businessView } from './views/businesses.js';
import { forwardingView } from './views/forwarding.js';
import { inboxView } from './views/inbox.js';
import { jobView } from './views/job.js';
import { logsView } from './views/logs.js';
import { orderView } from './views/order.js';
import { ordersView } from './views/orders.js';
import { settingsView } from './views/settings.js';

const UUID = '([0-9a-fA-F-]{36})';
/** Each view is a URL of its own, so it can be pasted into a ticket. */
const ROUTES = [
  [new RegExp('^/?$'), businessesView],
  [new RegExp(`^/b/${UUID}$`), businessView],
  [new RegExp(`^/b/${UUID}/orders$`), ordersView],
  [new RegExp(`^/b/${UUID}/inbox$`), inboxView],
  [new RegExp(`^/b/${UUID}/forwarding$`), forwardingView],
  [new RegExp(`^/b/${UUID}/logs$`), logsView],
  [new RegExp(`^/b/${UUID}/settings$`), settingsView],
  [new RegExp(`^/o/${UUID}$`), orderView],
  [new RegExp('^/jobs/([\\w.:%-]{1,200})$'), jobView],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let principal = null;
let rendering = 0;

function signInView(message) {
  nav.replaceChildren();
  who.replaceChildren();
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', size: 48, 'aria-label': 'API key', required: true });
  const form = h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        session.signIn(input.value);
        principal = null;
        void render();
      },
    },
    h('label', {}, 'API key (a support key reads; an admin key may also act)', input),
    h('button', { class: 'primary', type: 'submit' }, 'Sign in'),
  );
  main.replaceChildren(h('h1', {}, 'Sign in'), message ? errorBox(message) : null, form, h('p', { class: 'muted' }, 'The key stays in this tab only (session storage) and is sent to the API in the Authorization header.'));
}

function navigation(businessId) {
  const links = businessId
    ? [
        ['Businesses', '#/'],
        ['Overview', `#/b/${businessId}`],
        ['Orders', `#/b/${businessId}/orders`],
        ['Inbox', `#/b/${businessId}/inbox`],
        ['Forwarding', `#/b/${businessId}/forwarding`],
        ['Sync logs', `#/b/${businessId}/logs`],
        ['Sources & settings', `#/b/${businessId}/settings`],
      ]
    : [['Businesses', '#/']];
  const current = location.hash.split('?')[0] || '#/';
  nav.replaceChildren(...links.map(([label, href]) => h('a', { href, class: current === href ? 'active' : null }, label)));
  who.replaceChildren(
    `${principal.role} key`,
    ' · ',
    h('a', { href: '#/', onclick: (event) => { event.preventDefault(); session.signOut(); principal = null; signInView(); } }, 'Sign out'),
  );
}

async function render() {
  const mine = ++rendering;
  if (!session.key) return signInView();
  if (!principal) {
    try {
      principal = await get('/auth/whoami');
    } catch (error) {
      session.signOut();
      return signInView(error.status === 401 ? 'That key is not valid (or was revoked).' : error.message);
    }
  }
  const [path] = (location.hash.replace(/^#/, '') || '/').split('?');
  const match = ROUTES.map(([pattern, view]) => ({ found: pattern.exec(path), view })).find((r) => r.found);
  const businessId = /^\/b\/([0-9a-fA-F-]{36})/.exec(path)?.[1] ?? null;
  navigation(businessId);
  if (!match) return main.replaceChildren(errorBox(`No view at ${path}`));
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const content = await match.view({ params: match.found.slice(1).map(decodeURIComponent), role: principal.role, refresh: () => void render() });
    if (mine === rendering) main.replaceChildren(...[content].flat(Infinity).filter((node) => node !== null && node !== undefined && node !== false));
  } catch (error) {
    if (error.status === 401) {
      session.signOut();
      principal = null;
      return signInView('The key is no longer valid: sign in again.');
    }
    if (mine === rendering) main.replaceChildren(errorBox(error));
  }
}

window.addEventListener('hashchange', () => void render());
void render();
