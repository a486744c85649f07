// The form that creates a session (POST /v1/sessions): image, resources, cluster size, mounts
// and, for a batch session, its command.

import { api } from './api.js';
import { h } from './dom.js';

function field(id, label, input, hint) {
  input.id = id;
  input.name = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('small', { class: 'muted' }, hint) : null);
}

/** The request body from the form's values; throws a person's message for a bad value. */
export function sessionRequest(v) {
  const body = { image: v.image.trim() };
  if (!body.image) throw new Error('Choose an image.');
  if (v.name.trim()) body.name = v.name.trim();
  const resources = {};
  if (v.cpu) resources.cpu = Number(v.cpu);
  if (v.mem) resources.mem = Math.round(Number(v.mem) * 1024 ** 3);
  if (Object.keys(resources).length) body.resources = resources;
  const size = Number(v.cluster_size || 1);
  if (size > 1) body.cluster_size = size;
  const mounts = v.mounts.split(',').map((m) => m.trim()).filter(Boolean);
  if (mounts.length)
    body.mounts = mounts.map((m) => {
      const [folder, mode] = m.split(':');
      return mode ? { folder, mode } : { folder };
    });
  if (v.type === 'batch') {
    body.type = 'batch';
    body.startup_command = v.command;
    if (!v.command.trim()) throw new Error('A batch session needs a command.');
  }
  return body;
}

/**
 * The image field's suggestions: the catalogue's references (GET /v1/images) in its order, then
 * the images of the caller's sessions it does not list. Each is `{ value, label }`; the label
 * says where a suggestion comes from.
 */
export function imageChoices(catalogue, sessionImages) {
  const out = catalogue.map((i) => ({
    value: i.reference,
    label: i.canonical && i.canonical !== i.reference ? i.canonical : 'catalogue',
  }));
  const seen = new Set(out.map((c) => c.value));
  for (const image of sessionImages) {
    if (!image || seen.has(image)) continue;
    seen.add(image);
    out.push({ value: image, label: 'from your sessions' });
  }
  return out;
}

/** The form; `choices` (imageChoices) fill the image's suggestions, `created(id)` is called after a creation. */
export function sessionForm(choices, created) {
  const list = h('datalist', { id: 'image-choices' }, choices.map((c) => h('option', { value: c.value, label: c.label })));
  const image = h('input', { list: 'image-choices', required: true, placeholder: 'an image reference', autocomplete: 'off' });
  const name = h('input', { placeholder: 'generated when empty', autocomplete: 'off' });
  const cpu = h('input', { type: 'number', min: '0', step: '0.5', placeholder: '1' });
  const mem = h('input', { type: 'number', min: '0', step: '0.25', placeholder: '1' });
  const size = h('input', { type: 'number', min: '1', max: '16', value: '1' });
  const mounts = h('input', { placeholder: 'data, models:ro', autocomplete: 'off' });
  const type = h('select', {}, h('option', { value: 'interactive' }, 'interactive'), h('option', { value: 'batch' }, 'batch'));
  const command = h('input', { placeholder: 'python train.py', autocomplete: 'off' });
  const commandField = field('command', 'Batch command', command, 'Runs once RUNNING; the session ends with it.');
  commandField.hidden = true;
  type.addEventListener('change', () => (commandField.hidden = type.value !== 'batch'));
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit' }, 'Create session');
  const form = h('form', { class: 'create', 'aria-label': 'New session' },
    list,
    h('div', { class: 'grid' },
      field('image', 'Image', image),
      field('name', 'Name', name),
      field('type', 'Type', type),
      field('cpu', 'CPU cores', cpu),
      field('mem', 'Memory (GiB)', mem),
      field('cluster_size', 'Cluster size', size),
      field('mounts', 'Mounts', mounts, 'Your folders, comma-separated; ":ro" for read-only.'),
      commandField),
    error, h('div', { class: 'row' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const body = sessionRequest({
        image: image.value, name: name.value, cpu: cpu.value, mem: mem.value,
        cluster_size: size.value, mounts: mounts.value, type: type.value, command: command.value,
      });
      const answer = await api('POST', '/v1/sessions', body);
      name.value = '';
      created(answer.id);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
