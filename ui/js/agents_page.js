// Agents: each agent's status, scaling group, health and slots (used of capacity as bars);
// admins may drain an agent (no new kernels) and undrain it. Others get the API's refusal.

import { api } from './api.js';
import { badge, fill, h, slotAmount } from './dom.js';
import * as events from './event_stream.js';
import { showError } from './notice.js';
import { confirmAction } from './confirm.js';

function bars(slots) {
  const names = Object.keys(slots.capacity).sort();
  return h('div', { class: 'bars' }, names.map((n) => {
    const cap = slots.capacity[n] || 0;
    const used = slots.used[n] || 0;
    const text = `${slotAmount(n, used)} of ${slotAmount(n, cap)} used, ${slotAmount(n, Math.max(0, cap - used))} free`;
    return h('div', { class: 'bar-row' }, h('span', { class: 'bar-name' }, n),
      h('meter', { min: 0, max: cap || 1, value: used, high: cap * 0.85, 'aria-label': `${n}: ${text}`, title: text }),
      h('span', { class: 'muted bar-text' }, text));
  }));
}

async function setDrain(agent, drain, then) {
  if (drain && !(await confirmAction(`Drain ${agent.id}?`, 'It gets no new kernels; its running sessions stay.', 'Drain'))) return;
  try {
    await api('POST', `/v1/agents/${encodeURIComponent(agent.id)}/${drain ? 'drain' : 'undrain'}`);
    then();
  } catch (err) {
    showError(err);
  }
}

export function render(main) {
  const list = h('div', { class: 'agents' });
  fill(main, h('div', { class: 'head' }, h('h1', {}, 'Agents')), list);

  async function refresh() {
    try {
      const answer = await api('GET', '/v1/agents');
      const agents = answer.agents || answer;
      if (!agents.length) return fill(list, h('p', { class: 'muted' }, 'No agent has joined this manager.'));
      fill(list, agents.map((a) => h('article', { class: 'card agent', 'data-agent': a.id, 'aria-labelledby': `agent-${a.id}` },
        h('div', { class: 'head' },
          h('h2', { id: `agent-${a.id}` }, a.id),
          h('div', { class: 'row' }, badge(a.status),
            a.drained ? h('span', { class: 'badge s-drained' }, 'DRAINED') : null,
            a.healthy ? null : h('span', { class: 'badge s-error', title: a.unhealthy_reason || '' }, 'UNHEALTHY'),
            a.quarantine && a.quarantine.state !== 'clear' ? h('span', { class: 'badge s-error', title: a.quarantine.reason }, a.quarantine.state.toUpperCase()) : null)),
        h('p', { class: 'muted' }, `Scaling group ${a.scaling_group} · ${a.address}`),
        bars(a.slots),
        h('div', { class: 'row end' }, h('button', {
          type: 'button', class: a.drained ? 'quiet small' : 'danger small',
          onclick: () => setDrain(a, !a.drained, refresh),
        }, a.drained ? 'Undrain' : 'Drain')))));
    } catch (err) {
      showError(err);
    }
  }

  const off = events.onEvent((e) => {
    if (e.agent) refresh();
  });
  const timer = setInterval(refresh, 5000);
  refresh();
  return () => {
    off();
    clearInterval(timer);
  };
}
