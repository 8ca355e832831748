// Accessibility of the built page (threaded build): axe-core finds no violation of impact
// "serious" or "critical" in any state a visitor reaches (the default page, a run in
// progress, an import preview, three scenarios compared, a sweep, every deck, the dark
// theme, a phone's viewport), and everything can be done from the keyboard: the skip
// link, the quick controls first in the tab order, the graph's nodes (one tab stop, arrow
// keys), the decks (the ARIA tabs pattern), the sweep's rows, zoom, and a result
// announced to screen readers. Minor and moderate findings are printed, not failed.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { audit } from './axe.mjs';
import { expect, launchLocal, onlyLocal, runCases, serveBuild, setRange, shownResult, waitResult } from './chromium.mjs';

const { isolated: PORT, servers } = await serveBuild();
const URL_ = `http://127.0.0.1:${PORT}/`;
const TIMEOUT = 60_000;
const minor = new Map();

// Audits the page (or `within`) and fails on a serious or critical violation; the others
// are collected for the summary.
async function clean(page, state, within) {
  const r = await audit(page, within);
  for (const m of r.other) minor.set(m.split(':')[0], `${m} (${state})`);
  expect(r.blocking.length === 0, `${state}: ${r.blocking.join('; ')}`);
}

// A fresh page with every panel built and its first result shown.
async function opened(options = {}) {
  const b = await launchLocal({ options });
  await b.page.goto(URL_);
  await waitResult(b.page, () => true);
  await b.page.waitForSelector('#status-bar', { timeout: TIMEOUT });
  return b;
}

const CSV = ['a,b,c,label', ...Array.from({ length: 200 }, (_, i) => `${(i % 7) * 1.5},${(i % 5) - 2.25},${i * 0.01},x${i % 3}`)].join('\n');

const cases = [
  ['axe: default, running, dark theme, every deck', async () => {
    const b = await opened();
    try {
      const { page } = b;
      await clean(page, 'default page');
      for (const t of ['generate', 'sample', 'seed', 'fit', 'predict', 'metrics', 'quality', 'profile', 'project', 'replay', 'render']) {
        await page.click(`#deck-tab-${t}`);
        await page.waitForSelector(`#deck[data-deck="${t}"]`);
        await clean(page, `deck ${t}`, '.decks');
      }
      await page.click('#theme');
      await page.waitForFunction(() => document.body.dataset.theme === 'dark');
      await clean(page, 'dark theme');
      // A run in progress: ten million rows take long enough to audit while they run.
      await setRange(page, '#samples', 12);
      await page.waitForSelector('#run-progress', { timeout: TIMEOUT });
      await clean(page, 'run in progress (dark)');
      await waitResult(page, (r) => r.n_samples === 10000000, null, { timeout: 120_000 });
      onlyLocal(b.requests);
      return `no serious or critical violation in ${10 + 3} audits`;
    } finally { await b.close(); }
  }],
  ['axe: import preview, three scenarios compared, a sweep', async () => {
    const b = await opened();
    try {
      const { page } = b;
      await page.setInputFiles('#import-file', { name: 'flowers.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await page.waitForSelector('#import-preview', { timeout: TIMEOUT });
      await clean(page, 'import preview');
      await setRange(page, '#samples', 6); // 100,000 rows
      await waitResult(page, (r) => r.n_samples === 100000);
      for (let i = 0; i < 2; i++) {
        await page.click('#scenario-new');
        await page.focus('#k');
        await page.keyboard.press('ArrowRight');
        await waitResult(page, (r, k) => r.k === k, 6 + i);
      }
      const ids = await page.$$eval('#scenario-list li', (l) => l.map((x) => x.dataset.id));
      for (const id of ids) await page.click(`#scenario-compare-${id}`);
      await page.waitForFunction(() => document.querySelectorAll('.compare-plot[data-drawn="true"]').length === 3, null, { timeout: TIMEOUT });
      await clean(page, 'three scenarios compared');
      await page.fill('#sweep-from', '2');
      await page.press('#sweep-from', 'Enter');
      await page.fill('#sweep-to', '4');
      await page.press('#sweep-to', 'Enter');
      await page.click('#run-sweep');
      await page.waitForSelector('#sweep-status[data-state="done"]', { timeout: TIMEOUT });
      await clean(page, 'sweep');
      // A sweep's row opens its scenario from the keyboard.
      const before = (await shownResult(page)).k;
      const target = before === 3 ? 2 : 3;
      await page.focus(`#sweep-table tr[data-k="${target}"] button`);
      await page.keyboard.press('Enter');
      await waitResult(page, (r, k) => r.k === k, target);
      onlyLocal(b.requests);
      return `import preview, ${ids.length} scenarios compared, sweep: clean; Enter on a sweep row opened k = ${target}`;
    } finally { await b.close(); }
  }],
  ['axe: a phone-sized viewport', async () => {
    const b = await opened({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await clean(b.page, 'phone viewport');
      await b.page.click('#parameters > summary');
      await clean(b.page, 'phone viewport, parameters unfolded');
      return 'clean, folded and unfolded';
    } finally { await b.close(); }
  }],
  ['keyboard: skip link, quick controls, graph, deck tabs, zoom; results announced', async () => {
    const b = await opened();
    try {
      const { page } = b;
      const first = await shownResult(page);
      const announced = await page.$eval('#announce', (e) => [e.getAttribute('role'), e.textContent]);
      expect(announced[0] === 'status' && announced[1].startsWith(`Done. k = ${first.k}, inertia `), `live region: ${announced}`);
      // From the top: the skip link first, and Run within a few presses.
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), 'Tab does not reach the skip link first');
      let presses = 1;
      while (presses < 40 && !(await page.evaluate(() => document.activeElement?.id === 'run'))) {
        await page.keyboard.press('Tab');
        presses++;
      }
      expect(presses <= 8, `Run is ${presses} Tab presses from the top`);
      await page.evaluate(() => document.activeElement?.blur());
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id === 'plot'), 'the skip link does not move focus to the plot');
      // Zoom from the keyboard and by the buttons.
      await page.keyboard.press('+');
      await waitResult(page, (r, w) => r.window && r.window[1] - r.window[0] < 0.9 * w, first.window[1] - first.window[0]);
      await page.keyboard.press('0');
      await page.waitForFunction(() => document.querySelector('#plot')?.dataset.zoomed === 'false');
      await page.click('#zoom-in');
      await page.waitForFunction(() => document.querySelector('#plot')?.dataset.zoomed === 'true');
      await page.click('#view-reset');
      // The graph: one tab stop, arrows walk the nodes, Enter opens a deck.
      const stops = await page.$$eval('#pipeline [tabindex="0"]', (n) => n.map((x) => x.id));
      expect(stops.length === 1, `the graph has ${stops.length} tab stops: ${stops}`);
      await page.focus(`#${stops[0]}`);
      await page.keyboard.press('ArrowRight');
      const second = await page.evaluate(() => document.activeElement?.id);
      expect(second && second !== stops[0], `ArrowRight stayed on ${second}`);
      await page.keyboard.press('End');
      const last = await page.evaluate(() => document.activeElement?.id);
      expect(last === 'data-picture', `End went to ${last}`);
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#deck[data-deck="render"]', { timeout: 5_000 });
      expect((await page.$$eval('#pipeline [tabindex="0"]', (n) => n.map((x) => x.id)))[0] === 'node-render', 'the tab stop did not follow the focus');
      // The decks: arrows move along the tabs and open each.
      await page.focus('#deck-tab-render');
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector('#deck[data-deck="replay"]', { timeout: 5_000 });
      expect(await page.evaluate(() => document.activeElement?.id === 'deck-tab-replay'), 'focus did not follow the selected tab');
      await page.keyboard.press('Home');
      await page.waitForSelector('#deck[data-deck="generate"]', { timeout: 5_000 });
      const panel = await page.$eval('#deck', (d) => [d.getAttribute('role'), d.getAttribute('aria-labelledby')]);
      expect(panel[0] === 'tabpanel' && panel[1] === 'deck-tab-generate', `deck panel ${panel}`);
      onlyLocal(b.requests);
      return `Run ${presses} Tab presses from the top; graph tab stop ${stops[0]} → ${second} … ${last}; announced "${announced[1].slice(0, 40)}…"`;
    } finally { await b.close(); }
  }],
  ['reduced motion: no transitions, the replay holds each step longer', async () => {
    const b = await opened({ reducedMotion: 'reduce' });
    try {
      const { page } = b;
      const transition = await page.$eval('button', (e) => getComputedStyle(e).transitionDuration);
      expect(transition === '0s', `a button's transition is ${transition}`);
      const seen = page.evaluate(() => new Promise((done) => {
        const times = [];
        const el = document.querySelector('#replay');
        new MutationObserver(() => {
          times.push(performance.now());
          if (times.length >= 3) done(times);
        }).observe(el, { attributes: true, attributeFilter: ['data-step'] });
      }));
      await page.click('#replay-play');
      const times = await seen;
      await page.click('#replay-play');
      const gap = times[2] - times[1];
      expect(gap >= 1400, `steps ${gap.toFixed(0)} ms apart under reduced motion`);
      return `steps ${gap.toFixed(0)} ms apart`;
    } finally { await b.close(); }
  }],
];

await runCases(cases, servers, process.argv[2], () => {
  if (minor.size) console.log(`minor or moderate findings (not failed):\n  ${[...minor.values()].join('\n  ')}`);
});
