// The page as an installable web app that works offline (assets/coi-sw.js,
// web/offline.rs), in Debian's headless Chromium:
//   1. Chromium's own installability check (CDP Page.getInstallabilityErrors) finds
//      nothing missing;
//   2. served like GitHub Pages, the page is loaded once and keeps its build; the server
//      is stopped; a reload still gets a threaded, cross-origin isolated result, and the
//      single-threaded build opens too;
//   3. a new version (a changed build) is announced after the next visit, and "Reload to
//      update" switches to it with exactly one reload, keeping the scenarios.
// Each case serves its own copy of the build, since it stops or changes it.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distDir, expect, freePorts, launchLocal, onlyLocal, runCases, serveDist, waitResult } from './chromium.mjs';

const TIMEOUT = 60_000;

// A copy of the build served without COOP/COEP headers (as GitHub Pages serves it).
async function servedCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'blobscale-dist-'));
  cpSync(distDir(), dir, { recursive: true });
  const [port] = await freePorts(1);
  const server = await serveDist(dir, port, true);
  return { dir, port, server, stop() { server.kill(); }, remove() { server.kill(); rmSync(dir, { recursive: true, force: true }); } };
}

// Waits until the page says every file of its build is kept offline; returns the count.
async function keptOffline(page) {
  await page.waitForSelector('#offline[data-state="ready"], #offline[data-state="unavailable"]', { timeout: TIMEOUT });
  const [state, text] = await page.$eval('#offline', (e) => [e.dataset.state, e.textContent]);
  expect(state === 'ready', `not kept offline: ${text}`);
  return Number(/\((\d+) files/.exec(text)?.[1]);
}

const versionOf = (dir) => /^const VERSION = '([^']*)';$/m.exec(readFileSync(join(dir, 'coi-sw.js'), 'utf8'))[1];

const cases = [
  ['installable: Chromium finds no installability error, the manifest and its icons load', async () => {
    const site = await servedCopy();
    const b = await launchLocal({});
    try {
      await b.page.goto(`http://127.0.0.1:${site.port}/`);
      await waitResult(b.page, () => true);
      const cdp = await b.context.newCDPSession(b.page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors.length === 0, `installability errors: ${JSON.stringify(installabilityErrors)}`);
      const manifest = await b.page.evaluate(async () => {
        const m = await (await fetch('manifest.webmanifest')).json();
        const icons = await Promise.all(m.icons.map(async (i) => (await fetch(i.src)).status));
        return { name: m.name, display: m.display, icons };
      });
      expect(manifest.icons.every((s) => s === 200), `icons: ${manifest.icons}`);
      onlyLocal(b.requests);
      return `no installability errors; "${manifest.name}", ${manifest.display}, ${manifest.icons.length} icons`;
    } finally { await b.close(); site.remove(); }
  }],
  ['offline: loaded once, the server stopped, a reload still computes (both builds)', async () => {
    const site = await servedCopy();
    const b = await launchLocal({});
    try {
      const { page } = b;
      await page.goto(`http://127.0.0.1:${site.port}/`);
      const online = await waitResult(page, () => true);
      const files = await keptOffline(page);
      site.stop();
      const refused = await page.evaluate(async (url) => fetch(url, { cache: 'no-store', mode: 'no-cors' }).then(() => 'answered', () => 'refused'),
        `http://127.0.0.1:${site.port}/no-such-file`);
      expect(refused === 'refused', `the server still answers: ${refused}`);
      await page.reload();
      const offline = await waitResult(page, () => true);
      expect(offline.flavour === 'threaded' && offline.cross_origin_isolated === true && offline.threads >= 2,
        `offline: ${offline.flavour}, isolated ${offline.cross_origin_isolated}, ${offline.threads} threads`);
      expect(offline.inertia === online.inertia, `offline inertia ${offline.inertia}, online ${online.inertia}`);
      await page.goto(`http://127.0.0.1:${site.port}/st/`);
      const st = await waitResult(page, () => true);
      expect(st.flavour === 'single-threaded' && st.inertia === online.inertia, `offline st/: ${st.flavour}, inertia ${st.inertia}`);
      onlyLocal(b.requests);
      return `${files} files kept; offline: threaded on ${offline.threads} threads and single-threaded, same inertia ${offline.inertia}`;
    } finally { await b.close(); site.remove(); }
  }],
  ['update: a new build is announced, one click reloads once into it', async () => {
    const site = await servedCopy();
    const b = await launchLocal({});
    try {
      const { page } = b;
      await page.goto(`http://127.0.0.1:${site.port}/`);
      await waitResult(page, () => true);
      await keptOffline(page);
      const before = versionOf(site.dir);
      const keysBefore = await page.evaluate(() => caches.keys());
      expect(keysBefore.includes(`blobscale-${before}`), `caches ${keysBefore} without version ${before}`);
      // A new deployment: every file as it was but the worker, whose version changes.
      const worker = join(site.dir, 'coi-sw.js');
      const after = `${before.slice(0, 8)}new00000`;
      writeFileSync(worker, readFileSync(worker, 'utf8').replace(`const VERSION = '${before}';`, `const VERSION = '${after}';`));
      await page.reload();
      await waitResult(page, () => true);
      await page.waitForSelector('#update-ready:not([hidden]) #update-reload', { timeout: TIMEOUT });
      expect(!(await page.evaluate(() => document.querySelector('#update-ready').hidden)), 'no update notice');
      let navigations = 0;
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
      await Promise.all([page.waitForNavigation({ timeout: TIMEOUT }), page.click('#update-reload')]);
      await waitResult(page, () => true);
      await page.waitForTimeout(3_000);
      expect(navigations === 1, `${navigations} navigations after "Reload to update"`);
      const keysAfter = await page.evaluate(() => caches.keys());
      expect(keysAfter.includes(`blobscale-${after}`) && !keysAfter.includes(`blobscale-${before}`), `caches after the update: ${keysAfter}`);
      expect(await page.evaluate(() => document.querySelector('#update-ready').hidden), 'the notice stayed after the update');
      onlyLocal(b.requests);
      return `version ${before} → ${after} with one reload`;
    } finally { await b.close(); site.remove(); }
  }],
];

await runCases(cases, []);
