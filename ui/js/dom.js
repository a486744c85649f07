// Small helpers to build the page from data without innerHTML, so that no text from the API
// is ever read as markup.

/** An element: h('a', {href: '#'}, 'text', child). `on*` attributes add listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "3 s", "5 min", "2 h", "4 d" since `ms` (epoch milliseconds). */
export function age(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d`;
}

/** Bytes as "1.5 GiB". */
export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(n < 10 ? 1 : 0) : n} ${units[i]}`;
}

/** A slot amount as a person reads it: memory in bytes, the rest as numbers. */
export function slotAmount(name, n) {
  return name === 'mem' ? bytes(n) : String(Math.round(n * 100) / 100);
}

/** A status as a coloured badge. */
export function badge(status) {
  return h('span', { class: `badge s-${String(status).toLowerCase()}` }, status);
}

/** A time of day for epoch milliseconds. */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString();
}
