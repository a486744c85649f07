// The main kernel's files under /home/work: a directory listing, folders to walk into,
// downloads (fetched with the token, then saved) and uploads with a progress bar
// (XMLHttpRequest, whose upload reports progress where fetch does not).

import { api, authHeaders, errorOf, token, withQuery } from './api.js';
import { bytes, fill, h } from './dom.js';
import { showError } from './notice.js';

function join(dir, name) {
  return dir === '.' ? name : `${dir.replace(/\/$/, '')}/${name}`;
}

function parent(dir) {
  const i = dir.lastIndexOf('/');
  return i < 0 ? '.' : dir.slice(0, i);
}

async function download(sessionId, path, name) {
  try {
    const res = await fetch(withQuery(`/v1/sessions/${encodeURIComponent(sessionId)}/download-single`, { path }), { headers: authHeaders() });
    if (!res.ok) throw await errorOf(res);
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    showError(err);
  }
}

function upload(sessionId, path, file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', withQuery(`/v1/sessions/${encodeURIComponent(sessionId)}/files`, { path }));
    xhr.setRequestHeader('Authorization', `Bearer ${token()}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let message = xhr.responseText;
      try { message = JSON.parse(xhr.responseText).message; } catch { /* the text as it came */ }
      reject(new Error(message || `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('the upload was cut off'));
    xhr.send(file);
  });
}

export function fileBrowser(sessionId) {
  let dir = '.';
  const where = h('code', { class: 'path' });
  const body = h('tbody');
  const picker = h('input', { type: 'file', id: 'upload-file', multiple: true });
  const bar = h('progress', { max: 1, value: 0, id: 'upload-progress', 'aria-label': 'Upload progress' });
  const barLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
  bar.hidden = true;
  const up = h('button', { type: 'button', class: 'quiet small' }, '↑ Up');

  async function list() {
    fill(where, `/home/work${dir === '.' ? '' : `/${dir}`}`);
    up.disabled = dir === '.';
    try {
      const answer = await api('GET', withQuery(`/v1/sessions/${encodeURIComponent(sessionId)}/files`, { path: dir }));
      const files = [...answer.files].sort((a, b) => (a.type === 'dir') === (b.type === 'dir') ? a.filename.localeCompare(b.filename) : a.type === 'dir' ? -1 : 1);
      if (answer.errors) showError(new Error(answer.errors));
      if (!files.length) return fill(body, h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'This folder is empty.')));
      fill(body, files.map((f) => h('tr', { 'data-file': f.filename },
        h('td', { 'data-label': 'Name' }, f.type === 'dir'
          ? h('button', { type: 'button', class: 'link', onclick: () => { dir = join(dir, f.filename); list(); } }, `${f.filename}/`)
          : f.filename),
        h('td', { 'data-label': 'Size' }, f.type === 'dir' ? '—' : bytes(f.size)),
        h('td', { 'data-label': 'Modified' }, new Date(Number(f.mtime) * 1000).toLocaleString()),
        h('td', { class: 'actions' }, f.type === 'file' ? h('button', {
          type: 'button', class: 'quiet small', 'aria-label': `Download ${f.filename}`,
          onclick: () => download(sessionId, join(dir, f.filename), f.filename),
        }, 'Download') : null))));
    } catch (err) {
      fill(body, h('tr', {}, h('td', { colspan: 4, class: 'error' }, err.message)));
    }
  }

  up.addEventListener('click', () => { dir = parent(dir); list(); });
  picker.addEventListener('change', async () => {
    const chosen = [...picker.files];
    bar.hidden = false;
    try {
      for (const file of chosen) {
        barLabel.textContent = `Uploading ${file.name}…`;
        bar.value = 0;
        await upload(sessionId, join(dir, file.name), file, (p) => (bar.value = p));
      }
      barLabel.textContent = `Uploaded ${chosen.map((f) => f.name).join(', ')}`;
    } catch (err) {
      barLabel.textContent = '';
      showError(err);
    }
    bar.hidden = true;
    picker.value = '';
    list();
  });

  const element = h('div', {},
    h('div', { class: 'row' }, up, where, h('button', { type: 'button', class: 'quiet small', onclick: list }, 'Refresh')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'files' },
      h('caption', { class: 'sr-only' }, 'Files'),
      h('thead', {}, h('tr', {}, ['Name', 'Size', 'Modified', ''].map((t) => h('th', { scope: 'col' }, t)))), body)),
    h('div', { class: 'row' }, h('label', { for: 'upload-file' }, 'Upload'), picker, bar, barLabel));
  return { element, list };
}
