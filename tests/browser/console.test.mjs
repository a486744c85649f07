// The web console in Debian's chromium, driven by puppeteer-core against a real manager and
// agent (console_browser_test.cpp starts them): a wrong token is refused with the API's
// message; then sign in, create a session and watch it go from PENDING to RUNNING without a
// reload, run `echo hi` and see its output, upload a file and see it listed, use the terminal,
// look at agents and events, terminate the session and see it leave the table. Each page is
// saved as a screenshot for a person to look at.
//
// Usage: node console.test.mjs --url http://HOST:PORT --token TOKEN --image IMAGE --shots DIR
//        [--browser /usr/bin/chromium]

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' }, token: { type: 'string' }, image: { type: 'string' },
    shots: { type: 'string', default: 'browser-screenshots' },
    browser: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const k of ['url', 'token', 'image'])
  if (!opt[k]) throw new Error(`--${k} is required`);
mkdirSync(opt.shots, { recursive: true });

const step = (what) => console.log(`-- ${what}`);
const problems = [];
// The file the page uploads; removed with the browser at the end.
const uploads = mkdtempSync(join(tmpdir(), 'baikal-browser-'));

const browser = await puppeteer.launch({
  executablePath: opt.browser,
  args: ['--no-sandbox', '--headless=new'],
  defaultViewport: { width: 1280, height: 860 },
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(30000);
  // A script error or a refused policy fails the test: the page must run clean.
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 40[13]|status of 409/.test(msg.text()))
      problems.push(`console error: ${msg.text()}`);
  });
  const shot = (name) => page.screenshot({ path: join(opt.shots, `${name}.png`), fullPage: true });

  step('a wrong token is refused with the API\'s message');
  await page.goto(`${opt.url}/ui`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#token');
  await page.type('#token', 'not-a-token');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#sign-in-error')?.textContent.includes('not known'));
  await shot('1-sign-in-refused');

  step('sign in');
  await page.$eval('#token', (el) => (el.value = ''));
  await page.type('#token', opt.token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('table.sessions');
  await page.waitForFunction(() => document.querySelector('#live')?.textContent === 'Live');
  if (page.url().includes(opt.token)) throw new Error('the token shows in the URL');

  step('create a session and watch it go PENDING to RUNNING live');
  await page.evaluate(() => {
    // Every status the row shows, in order, as the page itself updates it.
    window.seenStatuses = [];
    new MutationObserver(() => {
      const s = document.querySelector('tr[data-name="browser-1"] .status')?.textContent;
      if (s && window.seenStatuses.at(-1) !== s) window.seenStatuses.push(s);
    }).observe(document.querySelector('table.sessions'), { subtree: true, childList: true, characterData: true });
  });
  await page.click('details.card > summary');
  // The cluster's manager lists the test image in [[images]]: the first suggestion is the
  // catalogue's, and the session is created from it.
  await page.waitForSelector('#image-choices option');
  const offered = await page.$$eval('#image-choices option', (els) => els.map((o) => o.value));
  if (offered[0] !== opt.image)
    throw new Error(`the image suggestions do not start with the catalogue's ${opt.image}: ${offered.join(', ')}`);
  await page.type('#image', offered[0]);
  await page.type('#name', 'browser-1');
  await page.type('#cpu', '0.5');
  await shot('2-create-form');
  await page.click('form.create button[type=submit]');
  await page.waitForSelector('tr[data-name="browser-1"]');
  await page.waitForFunction(
    () => document.querySelector('tr[data-name="browser-1"] .status')?.textContent === 'RUNNING',
    { timeout: 180000 });
  const seen = await page.evaluate(() => window.seenStatuses);
  console.log(`   statuses seen: ${seen.join(' → ')}`);
  if (seen[0] === 'RUNNING' || !seen.includes('RUNNING'))
    throw new Error(`the row did not go from a waiting status to RUNNING: ${seen.join(', ')}`);
  await page.click('details.card > summary'); // fold the form for the picture
  // Only as tall as the page's content: this one is the README's picture.
  const bottom = await page.$eval('main', (el) => Math.ceil(el.getBoundingClientRect().bottom));
  await page.screenshot({ path: join(opt.shots, '3-sessions.png'), clip: { x: 0, y: 0, width: 1280, height: bottom } });

  step('the phone layout');
  // Only the width: a change of isMobile would reload the page.
  await page.setViewport({ width: 390, height: 844 });
  await shot('4-sessions-phone');
  await page.setViewport({ width: 1280, height: 860 });

  step('run echo hi in the code cell and see its output');
  await page.click('tr[data-name="browser-1"] a');
  await page.waitForSelector('#code');
  await page.waitForFunction(() => document.querySelector('.facts .badge')?.textContent === 'RUNNING');
  await page.type('#code', 'echo hi');
  await page.click('form.cell button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#code-output')?.textContent === 'hi\n');
  await page.waitForFunction(() => document.querySelector('.run-state')?.textContent.includes('exit code 0'));

  step('upload a file and see it listed');
  const file = join(uploads, 'hello.txt');
  writeFileSync(file, 'hello from the browser\n');
  const input = await page.$('#upload-file');
  await input.uploadFile(file);
  await page.waitForSelector('tr[data-file="hello.txt"]');

  step('a terminal over the pty route');
  const openTerminal = await page.waitForSelector('::-p-text(Open terminal)');
  await openTerminal.click();
  await page.waitForFunction(() => document.querySelector('.terminal')?.parentElement.textContent.includes('Connected'));
  await page.waitForSelector('.terminal .xterm-helper-textarea');
  await page.focus('.terminal .xterm-helper-textarea');
  await page.keyboard.type('echo term-$((20+22))');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.terminal .xterm-rows')?.textContent.includes('term-42'));
  await shot('5-session');

  step('agents and events');
  await page.goto(`${opt.url}/ui/#/agents`);
  await page.waitForSelector('article.agent meter');
  await shot('6-agents');
  await page.goto(`${opt.url}/ui/#/events`);
  await page.waitForFunction(() => document.querySelectorAll('.feed li:not(.empty)').length > 0);
  await shot('7-events');

  step('terminate the session and see it leave the table');
  await page.goto(`${opt.url}/ui/#/sessions`);
  await page.waitForSelector('tr[data-name="browser-1"] button.danger');
  await page.click('tr[data-name="browser-1"] button.danger');
  await page.waitForSelector('dialog.confirm[open]');
  await shot('8-terminate-confirm');
  await page.click('dialog.confirm button.danger');
  await page.waitForFunction(() => !document.querySelector('tr[data-name="browser-1"]'), { timeout: 120000 });
  await shot('9-terminated');

  if (problems.length) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
  console.log('console test passed');
} finally {
  await browser.close();
  rmSync(uploads, { recursive: true, force: true });
}
