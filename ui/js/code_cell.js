// A code cell: runs its code in the session's main kernel over the stream WebSocket
// (/v1/sessions/{id}/stream) and shows stdout and stderr as they are printed; a run that reads
// its input gets a line field. One socket per run, closed when the run finishes (closing it
// early cancels the run).

import { openSocket } from './api.js';
import { h } from './dom.js';

export function codeCell(sessionId) {
  const code = h('textarea', { id: 'code', rows: 4, spellcheck: false, placeholder: 'echo hello', 'aria-describedby': 'code-hint' });
  const run = h('button', { type: 'submit' }, 'Run');
  const stop = h('button', { type: 'button', class: 'quiet', disabled: true }, 'Stop');
  const state = h('span', { class: 'muted run-state', 'aria-live': 'polite' });
  const output = h('pre', { class: 'output', id: 'code-output', 'aria-live': 'polite', 'aria-label': 'Output' });
  const input = h('input', { id: 'code-input', placeholder: 'input for the run, then Enter', autocomplete: 'off' });
  const inputForm = h('form', { class: 'row', hidden: true }, h('label', { for: 'code-input', class: 'sr-only' }, 'Input'), input);
  let ws = null;

  const print = (text, stream) => {
    output.append(stream === 'stderr' ? h('span', { class: 'stderr' }, text) : text);
    output.scrollTop = output.scrollHeight;
  };
  const finish = (text) => {
    state.textContent = text;
    run.disabled = false;
    stop.disabled = true;
    inputForm.hidden = true;
    if (ws) ws.close();
    ws = null;
  };

  const form = h('form', { class: 'cell' },
    h('label', { for: 'code' }, 'Code'),
    h('small', { id: 'code-hint', class: 'muted' }, 'Runs in the main kernel’s shell; Ctrl+Enter runs.'),
    code, h('div', { class: 'row' }, run, stop, state));
  code.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (ws || !code.value.trim()) return;
    output.replaceChildren();
    run.disabled = true;
    stop.disabled = false;
    state.textContent = 'Connecting…';
    ws = openSocket(`/v1/sessions/${encodeURIComponent(sessionId)}/stream`);
    const socket = ws;
    socket.onopen = () => {
      state.textContent = 'Running…';
      socket.send(JSON.stringify({ mode: 'query', code: code.value }));
    };
    socket.onmessage = (m) => {
      const f = JSON.parse(m.data);
      if (f.type === 'stdout' || f.type === 'stderr') print(f.data, f.type);
      else if (f.type === 'waiting-input') {
        inputForm.hidden = false;
        input.focus();
      } else if (f.type === 'finished')
        finish(f.status === 'exec-timeout' ? 'Stopped: the run took too long' : `Finished, exit code ${f.exit_code}`);
      else if (f.type === 'error') finish(`Refused: ${f.message}`);
    };
    socket.onclose = (e) => {
      if (ws === socket) finish(e.reason ? `Connection closed: ${e.reason}` : 'Connection closed (is the session RUNNING?)');
    };
  });
  inputForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!ws) return;
    ws.send(JSON.stringify({ input: input.value }));
    print(`${input.value}\n`, 'stdin');
    input.value = '';
    inputForm.hidden = true;
  });
  stop.addEventListener('click', () => finish('Stopped'));
  return { element: h('div', {}, form, output, inputForm), close: () => ws && ws.close() };
}
