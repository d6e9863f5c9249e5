// The console's entry point: sign-in, then one view at a time chosen by the URL's fragment
// (#/jobs, #/new, #/jobs/{id}, #/usage), so the key never appears in a URL and nothing reloads.
import { apiKey, call, signIn, signOut } from './api.js';
import { fill, h } from './dom.js';
import { renderForm } from './form.js';
import { renderHistory } from './history.js';
import { renderJob } from './job.js';
import { renderUsage } from './usage.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
let current = null;
let notice = '';

function renderSignIn() {
  const key = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'key_id:key_secret' });
  const error = h('p', { id: 'sign-in-error', class: 'error', 'aria-live': 'polite' }, notice);
  const button = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h('form', { class: 'sign-in', novalidate: true },
    h('h1', null, 'Sign in'),
    h('p', { class: 'lead' }, 'With an API key of this gateway (',
      h('code', null, 'Authorization: Key …'), '). It is kept in this tab only and forgotten when the tab closes.'),
    h('label', { for: 'api-key' }, 'API key'), key, error, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      error.textContent = 'Enter an API key';
      return;
    }
    button.disabled = true;
    signIn(value);
    try {
      // Any call that needs the key tells whether it is good; usage of today is a cheap one.
      await call('GET', '/v1/usage', { query: { from: new Date().toISOString().slice(0, 10) } });
      notice = '';
      route();
    } catch (e) {
      signOut();
      error.textContent = e.status === 401 ? 'This key was refused' : e.message;
    } finally {
      button.disabled = false;
    }
  });
  fill(view, form);
  key.focus();
  return null;
}

function route() {
  current?.destroy();
  current = null;
  if (!apiKey()) {
    nav.hidden = true;
    renderSignIn();
    return;
  }
  nav.hidden = false;
  const hash = location.hash || '#/jobs';
  const job = hash.match(/^#\/jobs\/(.+)$/);
  let section = 'jobs';
  if (job) {
    current = renderJob(view, decodeURIComponent(job[1]));
  } else if (hash === '#/new') {
    section = 'new';
    current = renderForm(view);
  } else if (hash === '#/usage') {
    section = 'usage';
    current = renderUsage(view);
  } else {
    current = renderHistory(view);
  }
  for (const link of nav.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === section);
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  route();
});
window.addEventListener('ltx:unauthorized', () => {
  if (!apiKey()) return;
  signOut();
  notice = 'The gateway refused the key; sign in again.';
  route();
});
window.addEventListener('hashchange', route);
route();
