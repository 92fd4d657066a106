// Every piece of text goes into the page as a text node or an attribute value, never as markup: whatever a shop
// or a payload sent (a product name holding <script>) is shown as the characters it is.

/** An element with attributes (on* are listeners) and children (strings become text nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const badge = (text) => h('span', { class: `badge ${String(text).replace(/[^a-z_]/gi, '')}` }, text);

/** 2026-12-02 14:03:07 (UTC): sortable, and the same for everyone on a call. */
export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').slice(0, 19);
}

/** A table of `rows`; each column says its title and how to show a row's cell. */
export function table(columns, rows, empty = 'Nothing to show.') {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.title)))), h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', {}, c.cell(row)))))));
}

export const errorBox = (error) => h('div', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));
export const notice = (text) => h('div', { class: 'notice', role: 'status' }, text);

/** A small bar chart, one bar per value, drawn as SVG from numbers only. */
export function barChart(title, values, format = (v) => String(v)) {
  const width = 360;
  const height = 90;
  const max = Math.max(1, ...values.map((v) => v.value ?? 0));
  const step = width / Math.max(1, values.length);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height + 14));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', title);
  values.forEach((v, i) => {
    const value = v.value ?? 0;
    const barHeight = value === 0 ? 2 : Math.max(2, Math.round((value / max) * height));
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('x', String(Math.round(i * step) + 1));
    rect.setAttribute('y', String(height - barHeight));
    rect.setAttribute('width', String(Math.max(1, Math.floor(step) - 2)));
    rect.setAttribute('height', String(barHeight));
    if (value === 0) rect.setAttribute('class', 'zero');
    const tip = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    tip.textContent = `${v.label}: ${v.value === null ? 'none' : format(value)}`;
    rect.append(tip);
    svg.append(rect);
  });
  const axis = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  axis.setAttribute('x', '0');
  axis.setAttribute('y', String(height + 12));
  axis.setAttribute('font-size', '10');
  axis.textContent = `${values[0]?.label ?? ''} … ${values.at(-1)?.label ?? ''}  (max ${format(max)})`;
  svg.append(axis);
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), svg);
}

/** The query of the current hash route, as an object. */
export function routeQuery() {
  const [, query = ''] = location.hash.split('?');
  return Object.fromEntries(new URLSearchParams(query));
}

/** A hash route with its query, leaving out empty values. */
export function route(path, query = {}) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** An inline form whose submit hands its fields, as an object, to `onData` instead of leaving the page. */
export function inlineForm(onData, ...children) {
  return h(
    'form',
    {
      class: 'inline',
      onsubmit: (event) => {
        event.preventDefault();
        onData(Object.fromEntries(new FormData(event.target)));
      },
    },
    ...children,
  );
}
