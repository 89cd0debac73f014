// The console's entry: sign-in with an API key, the hash routes (#/board, #/map, #/lookup,
// #/router/ID) and one live stream shared by the views.
import { api, ApiFailure, liveStream, saveKey, savedKey } from './api.js';
import { h } from './dom.js';
import { board } from './board.js';
import { map } from './map.js';
import { lookup, routerPage } from './lookup.js';

const main = document.getElementById('main');
const listeners = new Set();
let me = null;
let stopStream = null;
let view = null;

/** What the views share: the caller, and a way to hear the live stream while they are shown. */
const ctx = {
  get me() {
    return me;
  },
  may(action) {
    return !!me && me.may.includes(action);
  },
  onLive(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};

function setLive(state) {
  const el = document.getElementById('live');
  el.dataset.live = state;
  el.textContent = state === 'on' ? 'live' : 'reconnecting…';
  for (const fn of listeners) {
    fn('connection', state);
  }
}

function signInForm(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('live').hidden = true;
  document.getElementById('who').replaceChildren();
  const input = h('input#key', { type: 'password', name: 'key', autocomplete: 'current-password', required: true,
    'aria-describedby': 'key-help' });
  const error = h('p#signin-error.error', { role: 'alert' }, message || '');
  const form = h('form#signin.card.narrow', {
    on: {
      submit: async (e) => {
        e.preventDefault();
        const key = input.value.trim();
        try {
          const who = await api('/me', { key });
          saveKey(key);
          signedIn(who);
        } catch (err) {
          error.textContent = err instanceof ApiFailure && err.status === 401
            ? 'That API key is not known. Ask the operator for a key (dev mode: dev-viewer, dev-responder, dev-admin).'
            : err.message;
          input.focus();
        }
      },
    },
  },
  h('h1', {}, 'Sign in'),
  h('label', { for: 'key' }, 'API key'),
  input,
  h('p#key-help.muted', {}, 'The same key as for the REST API. Viewers see; responders also acknowledge, resolve '
    + 'and silence; admins also edit the inventory and run simulator scenarios.'),
  h('button.primary', { type: 'submit' }, 'Sign in'),
  error);
  main.replaceChildren(form);
  input.focus();
}

function signedIn(who) {
  me = who;
  document.getElementById('nav').hidden = false;
  document.getElementById('live').hidden = false;
  document.getElementById('who').replaceChildren(
    h('span', { 'data-role': who.role }, who.name + ' · ' + who.role),
    h('button#signout.link', { type: 'button', on: { click: signOut } }, 'Sign out'));
  startStream();
  if (!location.hash || location.hash === '#/') {
    location.hash = '#/board';
  } else {
    route();
  }
}

function startStream() {
  if (stopStream) {
    stopStream();
  }
  stopStream = liveStream((type, data) => {
    for (const fn of listeners) {
      fn(type, data);
    }
  }, setLive);
}

// A page left for another keeps no stream open: a page kept in the back-forward cache would hold
// one of the browser's six connections to this host, and a few of them starve the next pages' calls.
window.addEventListener('pagehide', () => {
  if (stopStream) {
    stopStream();
    stopStream = null;
  }
});
window.addEventListener('pageshow', (e) => {
  if (e.persisted && me) {
    startStream();
  }
});

function signOut() {
  saveKey(null);
  me = null;
  if (stopStream) {
    stopStream();
    stopStream = null;
  }
  if (view && view.stop) {
    view.stop();
  }
  view = null;
  signInForm('Signed out.');
}

function route() {
  if (!me) {
    return;
  }
  if (view && view.stop) {
    view.stop();
  }
  const hash = location.hash || '#/board';
  for (const a of document.querySelectorAll('#nav a')) {
    if (hash.startsWith(a.getAttribute('href'))) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  const container = h('div.view');
  main.replaceChildren(container);
  const router = hash.match(/^#\/router\/(.+)$/);
  if (router) {
    view = routerPage(container, ctx, decodeURIComponent(router[1]));
  } else if (hash.startsWith('#/map')) {
    view = map(container, ctx);
  } else if (hash.startsWith('#/lookup')) {
    view = lookup(container, ctx);
  } else {
    view = board(container, ctx);
  }
}

window.addEventListener('hashchange', route);

async function start() {
  const key = savedKey();
  if (!key) {
    signInForm();
    return;
  }
  try {
    signedIn(await api('/me'));
  } catch (err) {
    saveKey(null);
    signInForm(err.status === 401 ? 'The saved key is no longer known; sign in again.' : err.message);
  }
}

start();
