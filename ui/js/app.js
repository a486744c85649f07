// The console's entry point: signs in with a token, then shows the page the URL's hash names
// (#/sessions, #/sessions/ID, #/agents, #/events). Each page is a module with
// `render(main, params)` that answers a function to call when the page is left.

import { api, setToken, token } from './api.js';
import * as events from './event_stream.js';
import { h, fill } from './dom.js';
import { clearError, showError, wireNotice } from './notice.js';
import * as sessionsPage from './sessions_page.js';
import * as sessionPage from './session_page.js';
import * as agentsPage from './agents_page.js';
import * as eventsPage from './events_page.js';

const main = document.getElementById('main');
let leave = null;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'sessions' && parts[1]) return [sessionPage, { id: decodeURIComponent(parts[1]) }, 'sessions'];
  if (parts[0] === 'agents') return [agentsPage, {}, 'agents'];
  if (parts[0] === 'events') return [eventsPage, {}, 'events'];
  return [sessionsPage, {}, 'sessions'];
}

function show() {
  if (leave) leave();
  leave = null;
  clearError();
  if (!token()) return signIn();
  const [page, params, name] = route();
  for (const a of document.querySelectorAll('#nav a'))
    a.setAttribute('aria-current', a.dataset.page === name ? 'page' : 'false');
  fill(main);
  leave = page.render(main, params) || null;
  main.focus({ preventScroll: true });
}

function signedIn(yes) {
  document.getElementById('nav').hidden = !yes;
  document.getElementById('sign-out').hidden = !yes;
  document.getElementById('live').hidden = !yes;
  if (yes) events.start();
  else events.stop();
}

function signIn(message = '') {
  signedIn(false);
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, message);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to Baikal'),
    h('p', { class: 'muted' }, 'Paste your API token (the `token` of your user in the manager\'s configuration). It is kept in this tab only.'),
    h('label', { for: 'token' }, 'Token'), input, error, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = '';
    setToken(input.value.trim());
    try {
      await api('GET', '/v1/sessions?limit=1');
      signedIn(true);
      show();
    } catch (err) {
      setToken('');
      error.textContent = err.message;
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  fill(main, form);
  input.focus();
}

function wireLiveIndicator() {
  const live = document.getElementById('live');
  events.onState((state, detail) => {
    live.className = `live ${state}`;
    live.textContent = state === 'live' ? 'Live' : state === 'retrying' ? 'Reconnecting…' : '';
    live.title = detail || '';
  });
}

wireNotice();
wireLiveIndicator();
document.getElementById('sign-out').addEventListener('click', () => {
  setToken('');
  if (leave) leave();
  leave = null;
  signIn();
});
window.addEventListener('hashchange', show);
window.addEventListener('baikal:unauthorized', (e) => {
  if (!token() || document.getElementById('token')) return; // the sign-in form answers its own
  setToken('');
  if (leave) leave();
  leave = null;
  signIn(`Signed out: ${e.detail}`);
});
window.addEventListener('unhandledrejection', (e) => showError(e.reason));
if (token()) signedIn(true);
show();
