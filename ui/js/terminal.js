// A terminal in the session's main kernel: xterm.js over the pty WebSocket
// (/v1/sessions/{id}/pty). Bytes go both ways in binary frames; a resize is a text frame.

import { Terminal } from '../vendor/xterm/xterm.mjs';
import { openSocket } from './api.js';
import { h } from './dom.js';

/** The columns and rows that fit `el` with the terminal's cell size. */
function fit(term, el) {
  const cell = term._core?._renderService?.dimensions?.css?.cell;
  const w = cell?.width || 9;
  const hgt = cell?.height || 17;
  const cols = Math.max(20, Math.min(300, Math.floor((el.clientWidth - 16) / w)));
  const rows = Math.max(8, Math.min(60, Math.floor((el.clientHeight - 8) / hgt)));
  return { cols, rows };
}

export function terminalPanel(sessionId) {
  const open = h('button', { type: 'button' }, 'Open terminal');
  const state = h('span', { class: 'muted', 'aria-live': 'polite' });
  const screen = h('div', { class: 'terminal', 'aria-label': 'Terminal' });
  screen.hidden = true;
  let term = null;
  let ws = null;
  let onResize = null;

  const close = () => {
    if (ws) ws.close();
    ws = null;
    if (onResize) window.removeEventListener('resize', onResize);
  };

  open.addEventListener('click', () => {
    close();
    if (term) term.dispose();
    screen.hidden = false;
    term = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false, scrollback: 2000 });
    term.open(screen);
    const size = fit(term, screen);
    term.resize(size.cols, size.rows);
    ws = openSocket(`/v1/sessions/${encodeURIComponent(sessionId)}/pty?rows=${size.rows}&cols=${size.cols}`);
    ws.binaryType = 'arraybuffer';
    const socket = ws;
    const encoder = new TextEncoder();
    state.textContent = 'Connecting…';
    socket.onopen = () => {
      state.textContent = 'Connected';
      open.textContent = 'Reconnect';
      term.focus();
    };
    socket.onmessage = (m) => {
      if (typeof m.data === 'string') {
        const f = JSON.parse(m.data);
        if (f.type === 'exit') state.textContent = `The shell exited (code ${f.exit_code})`;
      } else term.write(new Uint8Array(m.data));
    };
    socket.onclose = (e) => {
      if (!state.textContent.startsWith('The shell exited'))
        state.textContent = e.reason ? `Disconnected: ${e.reason}` : 'Disconnected';
    };
    term.onData((d) => socket.readyState === 1 && socket.send(encoder.encode(d)));
    onResize = () => {
      const s = fit(term, screen);
      term.resize(s.cols, s.rows);
      if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'resize', rows: s.rows, cols: s.cols }));
    };
    window.addEventListener('resize', onResize);
  });
  return { element: h('div', {}, h('div', { class: 'row' }, open, state), screen), close: () => { close(); if (term) term.dispose(); } };
}
