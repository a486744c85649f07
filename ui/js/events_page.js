// Events: the live feed of the event stream, newest first, filtered by type and by text.

import { clock, fill, h } from './dom.js';
import * as events from './event_stream.js';

const kept = [];
const KEEP = 500;
events.onEvent((e) => {
  kept.unshift({ ...e, received_ms: Date.now() });
  if (kept.length > KEEP) kept.length = KEEP;
});

function summary(e) {
  const skip = new Set(['type', 'sse_type', 'id', 'received_ms', 'timestamp_ms', 'session', 'agent', 'kernel']);
  return Object.entries(e).filter(([k, v]) => !skip.has(k) && v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' · ');
}

export function render(main) {
  const type = h('select', { id: 'event-type' }, h('option', { value: '' }, 'All types'));
  const text = h('input', { id: 'event-text', type: 'search', placeholder: 'session, agent, reason…', autocomplete: 'off' });
  const list = h('ol', { class: 'feed', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  fill(main,
    h('div', { class: 'head' }, h('h1', {}, 'Events'),
      h('div', { class: 'row' }, h('label', { for: 'event-type' }, 'Type'), type, h('label', { for: 'event-text' }, 'Filter'), text)),
    h('p', { class: 'muted' }, 'Kernel lifecycle, image pulls and agents, as they happen; the last 500 are kept while the console is open.'),
    list);

  function draw() {
    const known = new Set([...type.options].map((o) => o.value));
    for (const e of kept) if (!known.has(e.type)) { known.add(e.type); type.append(h('option', { value: e.type }, e.type)); }
    const needle = text.value.trim().toLowerCase();
    const shown = kept.filter((e) => (!type.value || e.type === type.value) &&
      (!needle || JSON.stringify(e).toLowerCase().includes(needle)));
    if (!shown.length) return fill(list, h('li', { class: 'empty' }, kept.length ? 'No event matches the filter.' : 'Waiting for events…'));
    fill(list, shown.slice(0, 200).map((e) => h('li', {},
      h('time', {}, clock(e.timestamp_ms || e.received_ms)), ' ',
      h('strong', {}, e.type), ' ',
      e.session ? h('a', { href: `#/sessions/${encodeURIComponent(e.session)}` }, e.session) : null, ' ',
      e.agent ? h('span', { class: 'tag' }, e.agent) : null, ' ',
      h('span', { class: 'muted' }, summary(e)))));
  }

  type.addEventListener('change', draw);
  text.addEventListener('input', draw);
  const off = events.onEvent(() => draw());
  draw();
  return off;
}
