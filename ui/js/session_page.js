// One session: its status and reason, kernels and their agents, status history, apps, and the
// panels that work inside it (code cell, terminal, files, logs). The facts refresh on the
// session's events and every few seconds; the panels stay as they are.

import { api } from './api.js';
import { age, badge, clock, fill, h } from './dom.js';
import * as events from './event_stream.js';
import { showError } from './notice.js';
import { terminate } from './sessions_page.js';
import { codeCell } from './code_cell.js';
import { terminalPanel } from './terminal.js';
import { fileBrowser } from './file_browser.js';

function section(title, ...children) {
  const id = `h-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function facts(s) {
  return h('dl', { class: 'facts' },
    h('dt', {}, 'Status'), h('dd', {}, badge(s.status)),
    h('dt', {}, 'Reason'), h('dd', {}, s.status_reason || '—'),
    h('dt', {}, 'Image'), h('dd', {}, h('code', {}, s.image)),
    h('dt', {}, 'Type'), h('dd', {}, s.type),
    h('dt', {}, 'Age'), h('dd', {}, age(s.created_at_ms)),
    h('dt', {}, 'Cluster'), h('dd', {}, `${s.cluster_size} kernel${s.cluster_size > 1 ? 's' : ''} (${s.cluster_mode})`),
    h('dt', {}, 'Mounts'), h('dd', {}, s.mounts.length ? s.mounts.map((m) => `${m.folder || m.name || JSON.stringify(m)}`).join(', ') : '—'),
    s.status_data ? [h('dt', {}, 'Error'), h('dd', {}, h('code', {}, typeof s.status_data === 'string' ? s.status_data : JSON.stringify(s.status_data)))] : null,
    s.result ? [h('dt', {}, 'Result'), h('dd', {}, h('code', {}, JSON.stringify(s.result)))] : null);
}

function kernels(s) {
  if (!s.kernels.length) return h('p', { class: 'muted' }, 'No kernel yet.');
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['Role', 'Agent', 'Host name', 'Status', 'Container'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, s.kernels.map((k) => h('tr', {},
      h('td', { 'data-label': 'Role' }, `${k.role} ${k.idx}`),
      h('td', { 'data-label': 'Agent' }, k.agent || '—'),
      h('td', { 'data-label': 'Host name' }, k.hostname || '—'),
      h('td', { 'data-label': 'Status' }, badge(k.status)),
      h('td', { 'data-label': 'Container' }, h('code', {}, (k.container_id || '—').slice(0, 12))))))));
}

function history(items) {
  return h('ol', { class: 'history' }, items.map((e) => h('li', {},
    h('time', { datetime: new Date(e.at_ms).toISOString() }, clock(e.at_ms)), ' ', badge(e.status), ' ', h('span', {}, e.reason))));
}

function apps(s) {
  if (!s.service_ports.length) return h('p', { class: 'muted' }, 'This image declares no apps.');
  return h('ul', {}, s.service_ports.map((p) => h('li', {},
    h('a', { href: `/v1/sessions/${encodeURIComponent(s.id)}/apps/${encodeURIComponent(p.name)}/`, target: '_blank', rel: 'noopener' }, p.name),
    ` (${p.protocol}${p.container_port ? `, port ${p.container_port}` : ''})`)));
}

function logsPanel(id) {
  const out = h('pre', { class: 'output logs', 'aria-label': 'Logs' });
  const load = async () => {
    try {
      const answer = await api('GET', `/v1/sessions/${encodeURIComponent(id)}/logs`);
      out.textContent = answer.logs || '(no output yet)';
      out.scrollTop = out.scrollHeight;
    } catch (err) {
      out.textContent = err.message;
    }
  };
  return { element: h('div', {}, h('div', { class: 'row' }, h('button', { type: 'button', class: 'quiet small', onclick: load }, 'Load logs')), out), load };
}

export function render(main, { id }) {
  const title = h('h1', {}, id);
  const actions = h('div', { class: 'row' });
  const factsBox = h('div');
  const kernelBox = h('div');
  const historyBox = h('div');
  const appBox = h('div');
  const cell = codeCell(id);
  const term = terminalPanel(id);
  const files = fileBrowser(id);
  const logs = logsPanel(id);
  let shownFiles = false;

  fill(main,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/sessions' }, 'Sessions'), ' / ', id),
    h('div', { class: 'head' }, title, actions),
    h('div', { class: 'columns' },
      section('Overview', factsBox),
      section('Status history', historyBox)),
    section('Kernels', kernelBox),
    section('Run code', cell.element),
    section('Files', files.element),
    section('Terminal', term.element),
    section('Logs', logs.element),
    section('Apps', appBox));

  async function refresh() {
    try {
      const [s, hist] = await Promise.all([
        api('GET', `/v1/sessions/${encodeURIComponent(id)}`),
        api('GET', `/v1/sessions/${encodeURIComponent(id)}/history`),
      ]);
      title.textContent = s.name;
      fill(factsBox, facts(s));
      fill(kernelBox, kernels(s));
      fill(historyBox, history(hist));
      fill(appBox, apps(s));
      const live = !['TERMINATING', 'TERMINATED', 'ERROR'].includes(s.status);
      fill(actions, live ? h('button', { type: 'button', class: 'danger', onclick: () => terminate(s, refresh) }, 'Terminate') : null);
      if (s.status === 'RUNNING' && !shownFiles) {
        shownFiles = true;
        files.list();
      }
    } catch (err) {
      showError(err);
    }
  }

  let soon = null;
  const off = events.onEvent((e) => {
    if (e.session && e.session !== id) return;
    clearTimeout(soon);
    soon = setTimeout(refresh, 150);
  });
  const timer = setInterval(refresh, 5000);
  refresh();
  return () => {
    off();
    clearInterval(timer);
    clearTimeout(soon);
    cell.close();
    term.close();
  };
}
