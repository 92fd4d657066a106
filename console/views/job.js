import { get } from '../api.js';
import { badge, h, sleep, time } from '../dom.js';

/** A background job (a catalog push, a poll) followed until it ends, with its progress and its logs. */
export async function jobView({ params: [id] }) {
  const state = h('span', {});
  const progress = h('div', {});
  const logs = h('ul', {});
  const show = (job) => {
    state.replaceChildren(badge(job.state));
    const p = job.progress;
    progress.replaceChildren(p && typeof p === 'object' ? Object.entries(p).map(([k, v]) => `${k}: ${v}`).join(', ') : typeof p === 'number' ? h('progress', { max: 100, value: p }) : '', job.failedReason ? h('div', { class: 'error' }, job.failedReason) : null);
    logs.replaceChildren(...job.logs.map((l) => h('li', {}, `${time(l.startedAt)} ${l.status}: ${l.message}`)));
  };
  const first = await get(`/ecommerce/jobs/${encodeURIComponent(id)}`);
  show(first);
  const view = [h('h1', {}, `Job ${first.name} `, state), h('p', { class: 'muted' }, `${first.queue}, started ${time(first.startedAt) || 'not yet'}`), progress, h('h2', {}, 'Its sync logs'), logs];
  const finished = (job) => job.state === 'completed' || job.state === 'failed';
  void (async () => {
    for (let job = first; !finished(job); ) {
      await sleep(1000);
      // Stop once the person has moved on to another view.
      if (!document.body.contains(state)) return;
      job = await get(`/ecommerce/jobs/${encodeURIComponent(id)}`).catch(() => job);
      show(job);
    }
  })();
  return view;
}
