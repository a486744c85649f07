// The console's plain logic, without a browser: the session request the create form sends,
// the image suggestions, the event stream's block parsing, the status filter and the numbers people read.
// Run: node --test tests/browser/ui_logic.test.mjs (ctest, label unit).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageChoices, sessionRequest } from '../../ui/js/session_form.js';
import { parseBlock } from '../../ui/js/event_stream.js';
import { passes } from '../../ui/js/sessions_page.js';
import { age, bytes, slotAmount } from '../../ui/js/dom.js';

const form = { image: 'img:1', name: '', cpu: '', mem: '', cluster_size: '1', mounts: '', type: 'interactive', command: '' };

test('the create form sends only what was filled in', () => {
  assert.deepEqual(sessionRequest(form), { image: 'img:1' });
  assert.deepEqual(sessionRequest({ ...form, name: ' a ', cpu: '0.5', mem: '2', cluster_size: '3', mounts: 'data, models:ro' }), {
    image: 'img:1', name: 'a', resources: { cpu: 0.5, mem: 2 * 1024 ** 3 }, cluster_size: 3,
    mounts: [{ folder: 'data' }, { folder: 'models', mode: 'ro' }],
  });
  assert.deepEqual(sessionRequest({ ...form, type: 'batch', command: 'make' }), { image: 'img:1', type: 'batch', startup_command: 'make' });
});

test('the create form refuses a missing image or batch command', () => {
  assert.throws(() => sessionRequest({ ...form, image: ' ' }), /image/);
  assert.throws(() => sessionRequest({ ...form, type: 'batch' }), /command/);
});

test('the image suggestions: the catalogue in its order, then the sessions\' images it lacks', () => {
  const catalogue = [
    { reference: 'python:3.9', canonical: 'cr.backend.ai/stable/python:3.9', architecture: 'x86_64', is_local: false },
    { reference: 'busybox:1', canonical: 'busybox:1', architecture: 'x86_64', is_local: true },
  ];
  assert.deepEqual(imageChoices(catalogue, ['mine:2', 'busybox:1', 'mine:2', '']), [
    { value: 'python:3.9', label: 'cr.backend.ai/stable/python:3.9' },
    { value: 'busybox:1', label: 'catalogue' },
    { value: 'mine:2', label: 'from your sessions' },
  ]);
  assert.deepEqual(imageChoices([], ['a:1']), [{ value: 'a:1', label: 'from your sessions' }]);
});

test('an event block gives its id, type and data; comments are skipped', () => {
  assert.deepEqual(parseBlock('id: 7\nevent: kernel_started\ndata: {"a":1}'), { id: '7', type: 'kernel_started', data: '{"a":1}' });
  assert.deepEqual(parseBlock(': keep-alive'), { id: '', type: 'message', data: '' });
  assert.equal(parseBlock('data: a\ndata: b').data, 'a\nb');
});

test('the status filter: active hides ended sessions, a status shows only its own', () => {
  assert.ok(passes({ status: 'PENDING' }, 'active'));
  assert.ok(!passes({ status: 'TERMINATED' }, 'active'));
  assert.ok(!passes({ status: 'ERROR' }, 'active'));
  assert.ok(passes({ status: 'ERROR' }, ''));
  assert.ok(passes({ status: 'RUNNING' }, 'RUNNING'));
  assert.ok(!passes({ status: 'PENDING' }, 'RUNNING'));
});

test('ages, byte counts and slot amounts read as a person writes them', () => {
  assert.equal(age(0, 42_000), '42 s');
  assert.equal(age(0, 5 * 60_000), '5 min');
  assert.equal(age(0, 2 * 3600_000 + 60_000), '2 h 1 min');
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1.5 * 1024 ** 3), '1.5 GiB');
  assert.equal(slotAmount('mem', 256 * 1024 ** 2), '256 MiB');
  assert.equal(slotAmount('cpu', 0.333), '0.33');
});
