import { h } from '../dom.js';

/** What a role may do, as the API enforces it (the server refuses anything else with 403 anyway). */
export const canAct = (role) => role === 'admin' || role === 'operator';
export const canAdmin = (role) => role === 'admin';

/** A button that the key may not use is shown disabled, saying what it needs. */
export function actionButton(label, allowed, onclick, needs = 'an admin (or operator) key') {
  return h('button', { type: 'button', disabled: !allowed, title: allowed ? null : `Needs ${needs}`, 'data-needs': allowed ? null : needs, onclick }, label);
}

/** Runs an action, then shows its result or its error next to the button. */
export async function withResult(target, action) {
  target.replaceChildren(h('span', { class: 'muted' }, 'Working…'));
  try {
    const result = await action();
    target.replaceChildren(h('span', { class: 'notice', role: 'status' }, result));
  } catch (error) {
    target.replaceChildren(h('span', { class: 'error', role: 'alert' }, error.message));
  }
}
