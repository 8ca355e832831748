// What every browser script shares: Debian's headless Chromium with a fresh profile, the
// flags this machine's closed network needs, every non-local request aborted and
// recorded, page errors collected; the built page served; the page's result read and
// waited for; its canvas digested; and the loop that runs named cases and reports them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// The repository's root.
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The build to test: $DIST (relative to the root) or dist/.
export function distDir(dist = process.env.DIST) {
  return join(root, dist || 'dist');
}

export async function launchLocal({ initScript, extraArgs = [], options = {} } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'blobscale-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...extraArgs,
    ],
    viewport: { width: 1200, height: 900 },
    ...options,
  });
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route((url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol.startsWith('http'),
    (route) => route.abort());
  if (initScript) await context.addInitScript(initScript);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    context, page, requests, errors,
    async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

// `n` distinct ports free now on 127.0.0.1: others may run servers (and these very
// scripts) of their own on this machine.
export async function freePorts(n) {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

// Serves a built dist/ on 127.0.0.1:port with tools/serve.py: with COOP/COEP, or `plain`
// (no headers, as GitHub Pages serves it). Resolves once the server is listening.
export function serveDist(dist, port, plain) {
  const args = [join(root, 'tools', 'serve.py'), dist, String(port)];
  if (plain) args.push('--plain');
  const proc = spawn('python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout.once('data', () => resolve(proc));
    proc.once('exit', (code) => reject(new Error(`server on ${port} exited with ${code}`)));
  });
}

// The build served twice on free ports: with COOP/COEP (`isolated`) and without headers
// (`plain`, as GitHub Pages serves it); `servers` to stop.
export async function serveBuild(dist = distDir()) {
  const [isolated, plain] = await freePorts(2);
  return { isolated, plain, servers: [await serveDist(dist, isolated, false), await serveDist(dist, plain, true)] };
}

// Requests that left this machine (every case asserts there are none: nothing the user
// makes leaves the browser, and the page loads nothing from elsewhere).
export function requestsAway(requests) {
  return requests.filter((u) => {
    const url = new URL(u);
    return url.protocol.startsWith('http') && url.hostname !== '127.0.0.1';
  });
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

export function onlyLocal(requests) {
  const away = requestsAway(requests);
  expect(away.length === 0, `requests left 127.0.0.1: ${away.slice(0, 5).join(', ')}`);
}

// The shown result (#result's JSON), or null before the first.
export async function shownResult(page) {
  const text = await page.$eval('#result', (e) => e.textContent);
  return text ? JSON.parse(text) : null;
}

// Waits until the page shows a finished result for which `pred(result, arg)` holds, and
// returns it. `pred` runs in the page, so it sees nothing of the caller's scope but `arg`.
// A failed run ends the wait with the page's reason, unless `failFast` is false (where a
// failure is expected before the result, as while a reloaded page restores its import).
export async function waitResult(page, pred, arg = null, { timeout = 60_000, failFast = true } = {}) {
  try {
    await page.waitForFunction(([src, arg, failFast]) => {
      const s = document.querySelector('#status');
      if (failFast && s?.dataset.state === 'failed') return true;
      const r = document.querySelector('#result')?.textContent;
      return s?.dataset.state === 'done' && r && new Function('r', 'arg', `return (${src})(r, arg)`)(JSON.parse(r), arg);
    }, [pred.toString(), arg, failFast], { timeout });
  } catch (e) {
    const [state, text] = await page.$eval('#status', (s) => [s.dataset.state, s.textContent]).catch(() => []);
    const r = await shownResult(page).catch(() => null);
    throw new Error(`waiting for ${pred} (${JSON.stringify(arg)}): status ${state} "${text}", ` +
      `result ${JSON.stringify(r)?.slice(0, 200)}: ${e.message.split('\n')[0]}`);
  }
  const [state, text] = await page.$eval('#status', (s) => [s.dataset.state, s.textContent]);
  if (state === 'failed') throw new Error(`page reports: ${text}`);
  return shownResult(page);
}

// Sets a range input and tells the page, as dragging it would.
export function setRange(page, sel, v) {
  return page.$eval(sel, (e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }, v);
}

// In the page: a canvas's painted pixels and a digest of all its bytes.
export function digestCanvas(c) {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0, ink = 0;
  for (let i = 0; i < d.length; i++) {
    h = (h * 31 + d[i] * ((i % 251) + 1)) % 1_000_000_007;
    if (i % 4 === 3 && d[i] > 0) ink++;
  }
  return { ink, digest: `${ink}:${h}` };
}

// The canvas `sel`'s painted pixels and digest.
export function canvasDigest(page, sel = '#plot') {
  return page.$eval(sel, digestCanvas);
}

// Waits until canvas `sel`'s digest is no longer `digest`.
export function canvasChanged(page, digest, { sel = '#plot', timeout = 5_000 } = {}) {
  return page.waitForFunction(([src, sel, digest]) => {
    const c = document.querySelector(sel);
    return new Function(`return (${src})`)()(c).digest !== digest;
  }, [digestCanvas.toString(), sel, digest], { timeout });
}

// Runs `cases` ([name, run] pairs; `run()` returns a line of detail), those whose name
// contains `filter` if one is given; prints "ok"/"FAIL" per case and "N passed, N failed"
// (after `after()`, if given, has printed its own summary), stops `servers`, and exits
// non-zero on any failure.
export async function runCases(cases, servers, filter = process.argv[2], after = null) {
  let passed = 0, failed = 0;
  for (const [name, run] of cases) {
    if (filter && !name.includes(filter)) continue;
    const t0 = Date.now();
    try {
      const detail = await run();
      passed++;
      console.log(`ok   ${name} (${Date.now() - t0} ms): ${detail}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name} (${Date.now() - t0} ms): ${e.message}`);
    }
  }
  for (const s of servers) s.kill();
  if (after) after();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// Opens `url` in a fresh browser (`options` for its context), waits for the first result,
// runs `body(browser)` and checks that no request left 127.0.0.1; returns `body`'s detail.
// `onFail(browser)` may record what the page showed before the browser closes.
export async function onPage({ url, options = {}, onFail }, body) {
  const b = await launchLocal({ options });
  try {
    await b.page.goto(url);
    await waitResult(b.page, () => true);
    const detail = await body(b);
    onlyLocal(b.requests);
    return detail;
  } catch (e) {
    if (onFail) await onFail(b).catch(() => {});
    throw e;
  } finally {
    await b.close();
  }
}
