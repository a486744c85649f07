// The one event stream the console keeps open (GET /v1/events): read with fetch and a body
// reader, because EventSource cannot send the bearer header. When the connection drops it is
// opened again after a pause that grows, with Last-Event-ID so that no event is missed.

import { authHeaders, errorOf } from './api.js';

const listeners = new Set();
const stateListeners = new Set();
let controller = null;
let lastId = '';
let state = 'closed';

/** Calls `fn(event)` for every event (`event.type` is the SSE event name); answers an unsubscribe. */
export function onEvent(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Calls `fn(state, detail)` when the stream opens ('live'), drops ('retrying') or stops. */
export function onState(fn) {
  stateListeners.add(fn);
  fn(state, '');
  return () => stateListeners.delete(fn);
}

function setState(next, detail = '') {
  state = next;
  for (const fn of stateListeners) fn(next, detail);
}

/** Parses one SSE block ("id: ..\nevent: ..\ndata: ..") into {id, type, data}. */
export function parseBlock(block) {
  const out = { id: '', type: 'message', data: '' };
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') out.id = value;
    else if (field === 'event') out.type = value;
    else if (field === 'data') out.data += (out.data ? '\n' : '') + value;
  }
  return out;
}

function deliver(block) {
  const msg = parseBlock(block);
  if (!msg.data && !msg.id) return;
  if (msg.id) lastId = msg.id;
  let body = {};
  try {
    body = msg.data ? JSON.parse(msg.data) : {};
  } catch {
    body = { message: msg.data };
  }
  const event = { ...body, type: body.type || msg.type, sse_type: msg.type, id: msg.id };
  for (const fn of listeners) fn(event);
}

async function readOnce(signal) {
  const headers = authHeaders({ Accept: 'text/event-stream' });
  if (lastId) headers['Last-Event-ID'] = lastId;
  const res = await fetch('/v1/events', { headers, signal });
  if (!res.ok) throw await errorOf(res);
  setState('live');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      deliver(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

/** Opens the stream (once); it keeps itself open until stop(). */
export function start() {
  if (controller) return;
  controller = new AbortController();
  const { signal } = controller;
  (async () => {
    let pause = 1000;
    while (!signal.aborted) {
      try {
        await readOnce(signal);
        pause = 1000;
        if (!signal.aborted) setState('retrying', 'the event stream ended');
      } catch (err) {
        if (signal.aborted) break;
        setState('retrying', err.message);
        if (err.status === 401) break;
      }
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 15000);
    }
  })();
}

export function stop() {
  if (controller) controller.abort();
  controller = null;
  lastId = '';
  setState('closed');
}
