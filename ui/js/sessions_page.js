// Sessions: the caller's sessions in a table kept current by the event stream (and a slow
// poll, in case an event is missed), a filter by status, the create form (its images from the
// catalogue first, then from the caller's sessions) and terminate.

import { api } from './api.js';
import { age, badge, fill, h } from './dom.js';
import * as events from './event_stream.js';
import { showError } from './notice.js';
import { confirmAction } from './confirm.js';
import { imageChoices, sessionForm } from './session_form.js';

const STATUSES = ['PENDING', 'SCHEDULED', 'PREPARING', 'PULLING', 'PREPARED', 'CREATING', 'RUNNING', 'TERMINATING', 'TERMINATED', 'ERROR'];
const ENDED = new Set(['TERMINATED', 'ERROR']);

/** Whether a session passes the filter ('active': not ended; '': all; else its status). */
export function passes(session, filter) {
  if (filter === 'active') return !ENDED.has(session.status);
  return !filter || session.status === filter;
}

/** The image catalogue's entries; none when it cannot be read, so the form still opens. */
async function catalogue() {
  try {
    return (await api('GET', '/v1/images')).items;
  } catch (err) {
    showError(err);
    return [];
  }
}

async function allSessions() {
  const out = [];
  let after = '';
  for (;;) {
    const page = await api('GET', `/v1/sessions?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(...page.sessions);
    if (!page.next) return out;
    after = page.next;
  }
}

export async function terminate(session, then) {
  const yes = await confirmAction(`Terminate ${session.name}?`,
    'Its kernels are stopped and removed; what is not in a mounted folder is lost.', 'Terminate');
  if (!yes) return;
  try {
    await api('DELETE', `/v1/sessions/${encodeURIComponent(session.id)}`);
    then();
  } catch (err) {
    showError(err);
  }
}

function row(s, refresh) {
  const agents = [...new Set(s.kernels.map((k) => k.agent).filter(Boolean))].join(', ');
  const ended = ENDED.has(s.status) || s.status === 'TERMINATING';
  return h('tr', { 'data-session': s.id, 'data-name': s.name },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/sessions/${encodeURIComponent(s.id)}` }, s.name)),
    h('td', { 'data-label': 'Status', class: 'status' }, badge(s.status)),
    h('td', { 'data-label': 'Reason', class: 'reason' }, s.status_reason || '—'),
    h('td', { 'data-label': 'Image' }, h('code', {}, s.image)),
    h('td', { 'data-label': 'Age', title: new Date(s.created_at_ms).toLocaleString() }, age(s.created_at_ms)),
    h('td', { 'data-label': 'Agents' }, agents || '—'),
    h('td', { class: 'actions' }, ended ? null : h('button', {
      type: 'button', class: 'danger small', 'aria-label': `Terminate ${s.name}`,
      onclick: () => terminate(s, refresh),
    }, 'Terminate')));
}

export function render(main) {
  let sessions = [];
  let filter = 'active';
  let timer = null;
  const body = h('tbody');
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const select = h('select', { id: 'status-filter' },
    h('option', { value: 'active' }, 'Active'), h('option', { value: '' }, 'All'),
    STATUSES.map((s) => h('option', { value: s }, s)));
  select.addEventListener('change', () => {
    filter = select.value;
    draw();
  });
  const formBox = h('details', { class: 'card' }, h('summary', {}, 'New session'));
  const table = h('table', { class: 'sessions' },
    h('caption', { class: 'sr-only' }, 'Your sessions'),
    h('thead', {}, h('tr', {}, ['Name', 'Status', 'Reason', 'Image', 'Age', 'Agents', ''].map((t) => h('th', { scope: 'col' }, t)))),
    body);
  fill(main,
    h('div', { class: 'head' }, h('h1', {}, 'Sessions'),
      h('div', { class: 'row' }, h('label', { for: 'status-filter' }, 'Show'), select, count)),
    formBox, h('div', { class: 'table-wrap' }, table));

  function draw() {
    const shown = sessions.filter((s) => passes(s, filter)).sort((a, b) => b.created_at_ms - a.created_at_ms);
    count.textContent = `${shown.length} shown of ${sessions.length}`;
    if (!shown.length) {
      const why = !sessions.length ? 'No sessions yet: create one above.'
        : filter === 'active' ? 'No active session: create one above, or show All to see the ended ones.'
          : 'No session matches the filter.';
      return fill(body, h('tr', {}, h('td', { colspan: 7, class: 'empty' }, why)));
    }
    fill(body, shown.map((s) => row(s, refresh)));
  }

  let loading = false;
  let again = false;
  async function refresh() {
    if (loading) return void (again = true);
    loading = true;
    try {
      sessions = await allSessions();
      draw();
      if (!formBox.querySelector('form')) {
        const choices = imageChoices(await catalogue(), sessions.map((s) => s.image));
        formBox.append(sessionForm(choices, () => refresh()));
      }
    } catch (err) {
      showError(err);
    } finally {
      loading = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  let soon = null;
  const off = events.onEvent(() => {
    clearTimeout(soon);
    soon = setTimeout(refresh, 150);
  });
  timer = setInterval(() => { refresh(); draw(); }, 5000);
  refresh();
  return () => {
    off();
    clearInterval(timer);
    clearTimeout(soon);
  };
}
