// The manager's API as the console calls it: the token kept in session storage (never in a
// URL), sent as the bearer header on fetch and offered as the "bearer.<token>" subprotocol on
// WebSockets (browsers cannot set headers there); an error carries the API's own message.

const TOKEN_KEY = 'baikal.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An API answer that was not 2xx, or a request that reached no server. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The API's message from an error answer: its JSON `message`, else its text. */
export async function errorOf(res) {
  const text = await res.text();
  try {
    const body = JSON.parse(text);
    return new ApiError(res.status, body.error || '', body.message || text);
  } catch {
    return new ApiError(res.status, '', text || `${res.status} ${res.statusText}`);
  }
}

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${token()}`, ...extra };
}

/** Calls the API; answers the parsed JSON (or the text for a non-JSON answer). */
export async function api(method, path, body, { signal } = {}) {
  const init = { method, headers: authHeaders(), signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'unreachable', `The manager did not answer (${err.message}).`);
  }
  if (!res.ok) {
    const err = await errorOf(res);
    // A token the manager no longer knows (its configuration changed): sign in again.
    if (res.status === 401) window.dispatchEvent(new CustomEvent('baikal:unauthorized', { detail: err.message }));
    throw err;
  }
  const type = res.headers.get('Content-Type') || '';
  return type.includes('application/json') ? res.json() : res.text();
}

/** A WebSocket to an API route of this manager, authenticated by subprotocol. */
export function openSocket(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(`${scheme}//${location.host}${path}`, ['baikal.v1', `bearer.${token()}`]);
}

/** `path` with the query parameters of `params` that are set. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
