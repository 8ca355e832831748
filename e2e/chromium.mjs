// Debian's headless Chromium for the browser tests and the benchmark: a fresh profile,
// the flags this machine's closed network needs, every non-local request aborted and
// recorded, page errors collected.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

// Serves a built dist/ on 127.0.0.1:port with tools/serve.py: with COOP/COEP, or `plain`
// (no headers, as GitHub Pages serves it). Resolves once the server is listening.
export function serveDist(dist, port, plain) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const args = [join(root, 'tools', 'serve.py'), dist, String(port)];
  if (plain) args.push('--plain');
  const proc = spawn('python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.stdout.once('data', () => resolve(proc));
    proc.once('exit', (code) => reject(new Error(`server on ${port} exited with ${code}`)));
  });
}

// Requests that left this machine (every case asserts there are none: nothing the user
// makes leaves the browser, and the page loads nothing from elsewhere).
export function requestsAway(requests) {
  return requests.filter((u) => {
    const url = new URL(u);
    return url.protocol.startsWith('http') && url.hostname !== '127.0.0.1';
  });
}
