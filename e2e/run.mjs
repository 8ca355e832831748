// Browser tests of the built dist/ in Debian's headless Chromium (playwright-core, no
// downloaded browser). Each case is a real assertion about what a visitor gets:
//   1. served with COOP/COEP: threaded build, >= 2 workers did chunks, canvas drawn,
//      animation frames keep coming while the compute runs, the slider refits;
//   2. served like GitHub Pages (no headers): the service worker reloads once, then the same;
//   3. service workers unavailable: the single-threaded build runs, draws and says so;
//   and in every case no request leaves 127.0.0.1.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  canvasDigest, expect, launchLocal, onlyLocal, root, runCases, serveBuild, setRange, shownResult, waitResult,
} from './chromium.mjs';
import { replayChecks } from './replay.mjs';
import { viewChecks } from './view.mjs';

const shots = join(root, 'target', 'e2e');
mkdirSync(shots, { recursive: true });

const { isolated: ISOLATED_PORT, plain: PLAIN_PORT, servers } = await serveBuild();
const TIMEOUT = 60_000;
// The lowest adjusted Rand index (1 for a perfect recovery, about 0 for labels no better
// than chance, below 0 for worse) the metrics deck may show for the default data with k one
// above its default, coupled: six blobs of std 1 in a box 20 wide overlap, and natively
// `blobscale pipeline --n-samples 1000000 --centers 6 --data-seed 42` gives 0.7547.
const MIN_DEFAULT_ARI = 0.7;

// Records every animation frame's absolute time, so a test can tell whether the main
// thread kept painting while a job ran.
const RAF_PROBE = () => {
  window.__rafTimes = [];
  const tick = (t) => {
    window.__rafTimes.push(performance.timeOrigin + t);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

function launch(options = {}) {
  return launchLocal({ initScript: RAF_PROBE, options });
}

// The first finished result, or the first whose k is not `previousK`.
function waitDone(page, previousK = null) {
  return waitResult(page, (r, k) => k === null || r.k !== k, previousK);
}

// Animation frames while the job computed: the longest gap between consecutive frames
// inside [request, result], and how many frames there were.
async function longestFrameGap(page, result) {
  const times = await page.evaluate(() => window.__rafTimes);
  const from = result.job_started_ms, to = result.job_ended_ms;
  const inside = times.filter((t) => t >= from && t <= to);
  const seq = [from, ...inside, to];
  let gap = 0;
  for (let i = 1; i < seq.length; i++) gap = Math.max(gap, seq[i] - seq[i - 1]);
  return { gap, ticks: inside.length, job_ms: to - from };
}

async function threadedChecks(b, name) {
  const { page } = b;
  const first = await waitDone(page);
  expect(first.cross_origin_isolated === true, 'page is not cross-origin isolated');
  expect(first.flavour === 'threaded', `flavour is ${first.flavour}`);
  expect(first.threads >= 2, `only ${first.threads} threads`);
  const busy = first.tasks_per_thread.filter((n) => n > 0).length;
  expect(busy >= 2, `only ${busy} worker(s) ran chunks: ${JSON.stringify(first.tasks_per_thread)}`);
  expect(b.context.pages()[0].workers().length >= 2, 'fewer than 2 Web Workers');
  const lanes = Number(await page.$eval('#task-stream', (c) => c.dataset.lanes));
  expect(lanes >= 2, `task stream shows ${lanes} lane(s)`);
  const ink = await canvasDigest(page);
  expect(ink.ink > 5000, `canvas nearly blank (${ink.ink} painted pixels)`);
  const { gap, ticks, job_ms } = await longestFrameGap(page, first);
  expect(gap < 100, `main thread stalled ${gap.toFixed(0)} ms during a ${job_ms.toFixed(0)} ms job`);
  // The slider: one step right refits with a new k and the picture changes.
  await page.focus('#k');
  await page.keyboard.press('ArrowRight');
  const second = await waitDone(page, first.k);
  expect(second.k === first.k + 1, `k went ${first.k} -> ${second.k}`);
  expect(second.centres.length === second.k, `${second.centres.length} fitted centres for k = ${second.k}`);
  const ink2 = await canvasDigest(page);
  expect(ink2.digest !== ink.digest, 'canvas did not change when k changed');
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  let rastered = null;
  if (name === 'isolated') {
    await viewChecks(page);
    await pageChecks(page, second);
    await progressChecks(page);
    await qualityChecks(page);
    rastered = await focusRasterCheck(b);
  }
  onlyLocal(b.requests);
  return `threads ${first.threads}, chunks per thread ${JSON.stringify(first.tasks_per_thread)}, ` +
    `job ${job_ms.toFixed(0)} ms with ${ticks} frames, longest frame gap ${gap.toFixed(0)} ms` +
    (rastered === null ? '' : `, a text box's focus change rastered ${rastered} tile(s)`);
}

// What a user does on the page beyond the slider: the task stream, decks, reuse of the
// dataset when only k changes, a refused value, the dark theme.
async function pageChecks(page, last) {
  await page.click('#node-fit');
  await page.waitForSelector('#deck[data-deck="fit"] #deck-convergence');
  const points = Number(await page.$eval('#deck-convergence', (e) => e.dataset.points));
  expect(points >= 2, `convergence curve has ${points} point(s)`);
  const centroids = await page.$$eval('#deck-centroids tbody tr', (rows) => rows.length);
  expect(centroids === last.k, `centroid table has ${centroids} rows for k = ${last.k}`);
  const ari = await deckAri(page, last);
  expect(ari >= MIN_DEFAULT_ARI && ari <= 1, `ARI ${ari} on the default blobs, expected ${MIN_DEFAULT_ARI} to 1`);
  await page.click('#deck-tab-generate');
  const facts = await page.$eval('#deck', (d) => d.textContent);
  expect(facts.includes('1,000,000') && facts.includes('chunks'), `dataset deck: ${facts.slice(0, 120)}`);
  // A graph node opens its deck from the keyboard too.
  await page.focus('#node-replay');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#deck[data-deck="replay"] #deck-replay', { timeout: 5_000 });
  await page.focus('#node-metrics');
  await page.keyboard.press(' ');
  await page.waitForSelector('#deck[data-deck="metrics"]', { timeout: 5_000 });

  // Each deck opens with what its step does and why it is in its state. With run on
  // change off, a new k marks fit and what follows it stale before any run, and says so;
  // generate stays as it was.
  await page.click('#node-seed');
  const seedCaption = await page.$eval('#deck-caption', (e) => e.textContent);
  expect(seedCaption.includes('Bahmani et al., 2012') && seedCaption.includes(`k = ${last.k}`), `seed caption: ${seedCaption}`);
  await page.click('#auto-run');
  await page.click('#coupled');
  await page.focus('#k');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#node-fit')?.dataset.state === 'stale', null, { timeout: TIMEOUT });
  const graph = await page.$$eval('#pipeline .node', (ns) => Object.fromEntries(ns.map((n) => [n.id.slice(5), n.dataset.state])));
  expect(['seed', 'fit', 'metrics', 'render'].every((t) => graph[t] === 'stale') && graph.generate !== 'stale' && graph.profile !== 'stale',
    `after a new k, before the run: ${JSON.stringify(graph)}`);
  // The data nodes between the tasks follow their tasks, and only the edited input is
  // marked, by the engine's fingerprints.
  const picture = await page.$$eval('#pipeline .data-node, #pipeline .input-node', (ns) => Object.fromEntries(ns.map((n) => [n.id, n.dataset.state])));
  expect(['data-seeds', 'data-model', 'data-labels', 'data-scores', 'data-picture'].every((d) => picture[d] === 'stale')
    && picture['data-dataset'] !== 'stale' && picture['data-profile'] !== 'stale',
    `data nodes after a new k: ${JSON.stringify(picture)}`);
  const edited = Object.entries(picture).filter(([, v]) => v === 'edited').map(([id]) => id);
  expect(edited.length === 1 && edited[0] === 'input-k', `edited inputs after a new k: ${edited}`);
  expect(Object.keys(picture).filter((id) => id.startsWith('data-')).length === 11
    && Object.keys(picture).filter((id) => id.startsWith('input-')).length === 24, `graph nodes: ${Object.keys(picture)}`);
  await page.focus('#data-model');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#deck[data-deck="fit"]', { timeout: 5_000 });
  await page.focus('#input-k');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#deck[data-deck="seed"]', { timeout: 5_000 });
  await page.click('#node-fit');
  const fitReason = await page.$eval('#deck-reason', (e) => [e.dataset.stale, e.textContent]);
  expect(fitReason[0] === 'true' && fitReason[1].startsWith('Stale'), `fit deck reason before the run: ${fitReason}`);
  const fitCaption = await page.$eval('#deck-caption', (e) => e.textContent);
  expect(fitCaption.includes('max_iter = ') && fitCaption.includes("scikit-learn's tol"), `fit caption: ${fitCaption}`);
  await page.click('#node-generate');
  const genReason = await page.$eval('#deck-reason', (e) => [e.dataset.stale, e.textContent]);
  expect(genReason[0] === 'false', `generate deck reason after a new k: ${genReason}`);
  await page.focus('#k');
  await page.keyboard.press('ArrowLeft');
  await page.click('#coupled');
  await page.click('#auto-run');
  await page.waitForFunction(() => document.querySelector('#node-fit')?.dataset.state !== 'stale', null, { timeout: TIMEOUT });

  // Uncoupled, a new k refits on the cached dataset: generate is reused, fit is computed.
  await page.click('#coupled');
  await page.focus('#k');
  await page.keyboard.press('ArrowRight');
  const third = await waitDone(page, last.k);
  expect(third.nodes.generate === 'reused' || third.nodes.generate === 'known',
    `generate was ${third.nodes.generate} after changing only k`);
  expect(third.nodes.fit === 'computed', `fit was ${third.nodes.fit}`);
  const node = await page.$eval('#node-generate', (g) => g.dataset.state);
  expect(node === 'reused', `pipeline graph shows generate as ${node}`);

  // An out-of-range value is refused at the control, with the reason.
  await page.fill('#max-iter', '0');
  await page.press('#max-iter', 'Enter');
  const reason = await page.$eval('#max-iter-error', (e) => e.textContent);
  expect(reason.includes('max_iter = 0 is out of range: allowed 1 ..= 10000'), `reason shown: ${reason}`);

  // Dark theme: the page and the canvas follow.
  const before = await canvasDigest(page);
  await page.click('#theme');
  await page.waitForFunction(() => document.body.dataset.theme === 'dark');
  await page.waitForTimeout(200);
  const after = await canvasDigest(page);
  expect(after.digest !== before.digest, 'canvas not redrawn for the dark theme');
  await page.screenshot({ path: join(shots, 'dark.png'), fullPage: true });

  // A k sweep on four tight, well-separated blobs marks k = 4 and opens a clicked k.
  await setRange(page, '#samples', 6); // 100,000 rows
  await setRange(page, '#centers', 4);
  await setRange(page, '#cluster-std', 1); // std 0.1
  await page.fill('#max-iter', '300');
  await page.press('#max-iter', 'Enter');
  await waitResult(page, (r) => r.n_samples === 100000);
  // With run-on-change off, a new data seed computes nothing, so the sweep itself has to
  // make the dataset: once, for all eleven members.
  await page.click('#auto-run');
  await page.fill('#data-seed', '2'); // its four centres lie at least 8 apart
  await page.press('#data-seed', 'Enter');
  await page.fill('#sweep-from', '2');
  await page.press('#sweep-from', 'Enter');
  await page.fill('#sweep-to', '12');
  await page.press('#sweep-to', 'Enter');
  await page.click('#run-sweep');
  await page.waitForSelector('#sweep-status[data-state="done"]', { timeout: TIMEOUT });
  const rows = await page.$$eval('#sweep-table tbody tr', (r) => r.map((x) => Number(x.dataset.k)));
  expect(JSON.stringify(rows) === JSON.stringify([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), `sweep rows ${rows}`);
  const generated = await page.$eval('#sweep-status', (e) => [Number(e.dataset.generated), e.textContent]);
  expect(generated[0] === 1 && generated[1].includes('generated once'), `the sweep generated the dataset ${generated[0]} times: ${generated[1]}`);
  await page.click('#auto-run');
  await waitDone(page);
  const best = await page.$eval('#sweep-silhouette-best', (e) => e.textContent);
  expect(best === '4', `best k by silhouette is ${best}`);
  const kBefore = (await shownResult(page)).k;
  await page.click('#sweep-table tr[data-k="4"]');
  const opened = kBefore === 4 ? await shownResult(page) : await waitDone(page, kBefore);
  expect(opened.k === 4, `clicking k = 4 opened k = ${opened.k}`);
  // Four tight blobs far apart: every row is labelled by its blob.
  const tight = await deckAri(page, opened);
  expect(tight === 1, `ARI ${tight} on four tight, well-separated blobs`);

}

// The internal indices follow the picture: the first delivery of a new scenario shows the
// quality node pending, and its values arrive for the same evaluation without another
// click. A MutationObserver sees every state the node takes, however briefly.
async function qualityChecks(page) {
  const before = await shownResult(page);
  await page.evaluate(() => {
    const node = document.querySelector('#node-quality');
    window.__qualityStates = [node.dataset.state];
    new MutationObserver(() => window.__qualityStates.push(node.dataset.state))
      .observe(node, { attributes: true, attributeFilter: ['data-state'] });
  });
  const seed = await page.$eval('#data-seed', (e) => e.value);
  await page.fill('#data-seed', '4242');
  await page.press('#data-seed', 'Enter');
  const r = await waitResult(page, (r, prev) => r.evaluation !== prev && !r.quality_pending, before.evaluation);
  const states = await page.evaluate(() => window.__qualityStates);
  const pending = states.indexOf('pending');
  expect(pending >= 0 && states.indexOf('fresh', pending) > pending,
    `quality node states ${JSON.stringify(states)}: expected pending, then fresh`);
  expect(r.nodes.quality === 'computed' && r.nodes.fit === 'computed',
    `after a new data seed: quality ${r.nodes.quality}, fit ${r.nodes.fit}`);
  expect(Number.isFinite(r.silhouette) && Number.isFinite(r.davies_bouldin), `indices ${r.silhouette}, ${r.davies_bouldin}`);
  await page.click('#node-quality');
  const deck = await page.$eval('#deck-quality', (t) => [t.dataset.pending, t.textContent]);
  const shown = /silhouette \(sample\)\s*(-?\d+\.\d+(?:e-?\d+)?)/.exec(deck[1]);
  expect(deck[0] === 'false' && shown && Number(shown[1]) === Number(r.silhouette.toFixed(4)),
    `quality deck (pending ${deck[0]}): ${deck[1].slice(0, 160)}; the result has silhouette ${r.silhouette}`);
  await page.fill('#data-seed', seed);
  await page.press('#data-seed', 'Enter');
  await waitResult(page, (r, prev) => r.evaluation !== prev && !r.quality_pending, r.evaluation);
}

// The adjusted Rand index the metrics deck shows, checked against the shown result's.
async function deckAri(page, result) {
  await page.click('#deck-tab-metrics');
  const metrics = await page.$eval('#deck-metrics', (t) => t.textContent);
  const shown = /adjusted Rand index \(vs true blobs\)\s*(-?\d+\.\d+(?:e-?\d+)?)/.exec(metrics);
  expect(shown, `no adjusted Rand index in the metrics deck: ${metrics.slice(0, 160)}`);
  const ari = Number(shown[1]);
  expect(ari === Number(result.adjusted_rand.toFixed(4)), `metrics deck shows ARI ${shown[1]}, the result has ${result.adjusted_rand}`);
  return ari;
}

// A job that runs for more than 0.1 s shows that it is running, with live progress and
// progress bars that move, in the status line and the graph (a shorter one goes straight
// to its result). A sweep over 10 million rows is stopped part-way.
async function progressChecks(page) {
  await page.evaluate(() => {
    window.__seen = { texts: [], running: false };
    const s = document.querySelector('#status');
    new MutationObserver(() => {
      window.__seen.texts.push([s.dataset.state, s.textContent, s.classList.contains('busy')]);
      if (document.querySelector('#pipeline .node-running')) window.__seen.running = true;
    }).observe(document.querySelector('main'), { childList: true, subtree: true, characterData: true, attributes: true });
  });
  const bars = page.evaluate(() => new Promise((done) => {
    const seen = []; const t0 = performance.now();
    const tick = () => {
      const p = document.querySelector('#run-progress');
      const node = document.querySelector('#pipeline [role="progressbar"]');
      if (p) seen.push({ task: p.dataset.task, value: Number(p.value), max: Number(p.max), node: node?.getAttribute('aria-label') });
      const state = document.querySelector('#status')?.dataset.state;
      if ((seen.length && state === 'done') || performance.now() - t0 > 90_000) return done(seen);
      requestAnimationFrame(tick);
    };
    tick();
  }));
  await setRange(page, '#samples', 12); // 10,000,000 rows
  const big = await waitResult(page, (r) => r.n_samples === 10000000);
  const seen = await page.evaluate(() => window.__seen);
  const live = seen.texts.filter(([state, text, busy]) => state === 'running' && busy && /Computing [a-z]+… \d+ of \d+/.test(text));
  expect(live.length > 0, `no live progress during a ${big.engine_ms.toFixed(0)} ms job: ${JSON.stringify(seen.texts.slice(0, 6))}`);
  expect(seen.running, 'no graph node was shown running');
  const sampled = await bars;
  const rising = sampled.some((a, i) => sampled.slice(i + 1).some((b) => b.task === a.task && b.value > a.value));
  expect(rising, `no progress bar rose during a 10M run: ${JSON.stringify(sampled.slice(0, 8))}`);
  expect(sampled.some((x) => x.node === `${x.task} progress`), `no progress bar on the running node: ${JSON.stringify(sampled.slice(0, 4))}`);

  // A sweep over those rows is stopped part-way: the last complete table stays.
  const tableBefore = await page.$eval('#sweep-table', (t) => t.textContent);
  await page.click('#run-sweep');
  await page.waitForFunction(() => Number(document.querySelector('#sweep-progress')?.value) >= 1, null, { timeout: TIMEOUT });
  await page.click('#stop-sweep');
  await page.waitForSelector('#sweep-status[data-state="stopped"]', { timeout: TIMEOUT });
  const stoppedText = await page.$eval('#sweep-status', (e) => e.textContent);
  expect(/Sweep stopped at scenario \d+ of 11/.test(stoppedText), `stopped sweep says: ${stoppedText}`);
  expect(await page.$eval('#sweep-table', (t) => t.textContent) === tableBefore, 'the stopped sweep changed the table');
  expect(!(await page.$('#sweep-progress')), 'sweep progress bar left behind');
  expect(await page.$eval('#run-sweep', (b) => !b.disabled), 'Run sweep stays disabled after a stop');
}

// Focusing and leaving a text box repaints the box, not the page: without paint
// containment Chromium re-rastered about 30 tiles each time (25–31 raster tasks against
// 1–5 with it), and pressing Run after typing a seed took that from the job.
async function focusRasterCheck(b) {
  const { page } = b;
  const cdp = await b.context.newCDPSession(page);
  await page.waitForTimeout(1000); // the last result's frames are drawn
  // The fewest tiles of three focus-and-leave cycles: a frame of something else can land
  // in one of them.
  let fewest = Infinity;
  for (let cycle = 0; cycle < 3; cycle++) {
    const events = [];
    const collect = (e) => events.push(...e.value);
    cdp.on('Tracing.dataCollected', collect);
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', 'cc'] }, transferMode: 'ReportEvents' });
    await page.waitForTimeout(100);
    await page.focus('#data-seed');
    await page.waitForTimeout(200);
    await page.evaluate(() => document.activeElement?.blur());
    await page.waitForTimeout(300);
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', collect);
    fewest = Math.min(fewest, events.filter((e) => e.name === 'RasterTask').length);
  }
  await cdp.detach();
  expect(fewest < 12, `focusing and leaving the seed box rastered ${fewest} tiles`);
  return fewest;
}

const scenarioIds = (page) => page.$$eval('#scenario-list li', (l) => l.map((x) => Number(x.dataset.id)));
const scenarioNames = (page) => page.$$eval('#scenario-list .scenario-open', (l) => l.map((x) => x.textContent));
const scenarioFacts = (page) => page.$$eval('#scenario-list .scenario-facts', (l) => l.map((x) => x.textContent));

// Scenarios (Taipy's scenario management): three made, compared side by side, switched
// instantly from the memo store, all back with their results after a reload, one shared
// as a link that reproduces its centres in a fresh browser profile; an unreadable saved
// session and a link from a newer version are refused with the reason and kept.
async function labelled(label, promise) {
  try { return await promise; } catch (e) { throw new Error(`${label}: ${e.message}`); }
}

async function scenarioCase() {
  const b = await launch();
  let shared;
  try {
    const { page } = b;
    await labelled('step 1', page.goto(`http://127.0.0.1:${ISOLATED_PORT}/`));
    await labelled('step 2', waitDone(page));
    await setRange(page, '#samples', 6); // 100,000 rows
    const r1 = await labelled('step 3', waitResult(page, (r) => r.n_samples === 100000));
    await labelled('step 4', page.click('#scenario-new'));
    await labelled('step 5', page.focus('#k'));
    await labelled('step 6', page.keyboard.press('ArrowRight'));
    const r2 = await labelled('step 7', waitResult(page, (r, k) => r.k === k, r1.k + 1));
    // What the new k did, not only that it was asked for: one more centre fitted, by a fit
    // of its own, to another inertia.
    expect(r2.centres.length === r1.centres.length + 1, `fitted ${r1.centres.length} then ${r2.centres.length} centres`);
    expect(r2.nodes.fit === 'computed' && r2.evaluation > r1.evaluation, `second scenario: fit ${r2.nodes.fit}, evaluation ${r1.evaluation} -> ${r2.evaluation}`);
    expect(r2.inertia !== r1.inertia, `the same inertia ${r2.inertia} for k ${r1.k} and ${r2.k}`);
    await labelled('step 8', page.click('#scenario-new'));
    await labelled('step 9', page.focus('#k'));
    await labelled('step 10', page.keyboard.press('ArrowRight'));
    const r3 = await labelled('step 11', waitResult(page, (r, k) => r.k === k, r1.k + 2));
    expect(r3.centres.length === r1.centres.length + 2, `fitted ${r1.centres.length} then ${r3.centres.length} centres`);
    await labelled('step 12', page.fill('#scenario-name', 'seven-ish'));
    await labelled('step 13', page.click('#scenario-rename'));
    const ids = await scenarioIds(page);
    expect(ids.length === 3, `${ids.length} scenarios listed`);
    const names = await scenarioNames(page);
    expect(names[2] === 'seven-ish', `names ${JSON.stringify(names)}`);

    // Compare all three: plots side by side, k marked as differing, equal rows hidden.
    for (const id of ids) await page.click(`#scenario-compare-${id}`);
    await labelled('step 14', page.waitForFunction(() => document.querySelectorAll('.compare-plot[data-drawn="true"]').length === 3, null, { timeout: TIMEOUT }));
    const diffRows = await page.$$eval('#compare-table tr.diff', (r) => r.map((x) => x.dataset.name));
    expect(diffRows.includes('k') && diffRows.includes('inertia'), `differing rows ${diffRows}`);
    expect(!(await page.$('#compare-table tr[data-name="n_samples"]')), 'equal parameter n_samples shown without "show every parameter"');
    const plotInk = await page.$$eval('.compare-plot', (cs) => cs.map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;
    }));
    expect(plotInk.every((n) => n > 5000), `compared plots ink ${plotInk}`);

    // Switching back to the first scenario is instant: every node reused.
    await labelled('step 15', page.click(`#scenario-open-${ids[0]}`));
    const back = await labelled('step 16', waitResult(page, (r, k) => r.k === k, r1.k));
    expect(back.nodes.fit === 'reused' && back.nodes.generate === 'reused', `switch recomputed: ${JSON.stringify(back.nodes)}`);
    expect(back.inertia === r1.inertia, `switched inertia ${back.inertia} vs ${r1.inertia}`);

    // Reload: the three scenarios are back, each with its result.
    const factsBefore = await scenarioFacts(page);
    await labelled('step 17', page.reload());
    const afterReload = await labelled('step 18', waitDone(page));
    expect(afterReload.k === r1.k && afterReload.inertia === r1.inertia, `after reload k ${afterReload.k}, inertia ${afterReload.inertia}`);
    expect(JSON.stringify(await scenarioNames(page)) === JSON.stringify(names), `names after reload ${await scenarioNames(page)}`);
    await labelled('step 19', page.waitForFunction(() => [...document.querySelectorAll('#scenario-list .scenario-facts')].every((f) => f.textContent.includes('inertia')), null, { timeout: TIMEOUT }));
    const factsAfter = await scenarioFacts(page);
    expect(JSON.stringify(factsAfter) === JSON.stringify(factsBefore), `facts changed over reload:\n${factsBefore}\n${factsAfter}`);
    // Their plots are recomputed in the background: compare two of them.
    const idsAfter = await scenarioIds(page);
    await labelled('step 20', page.click(`#scenario-compare-${idsAfter[1]}`));
    await labelled('step 21', page.click(`#scenario-compare-${idsAfter[2]}`));
    await labelled('step 22', page.waitForFunction(() => document.querySelectorAll('.compare-plot[data-drawn="true"]').length === 2, null, { timeout: TIMEOUT }));

    // Share the third.
    await labelled('step 23', page.click(`#scenario-open-${idsAfter[2]}`));
    const third = await labelled('step 24', waitResult(page, (r, k) => r.k === k, r3.k));
    await labelled('step 25', page.click('#scenario-share'));
    shared = { link: await page.$eval('#scenario-link', (e) => e.value), result: third };
    expect(shared.link.includes('#s=1.'), `link ${shared.link}`);

    // Fit on a sample, predict all (dask-ml's ParallelPostFit): two nodes of their own.
    await labelled('step 26', page.click('#fit-sample-on'));
    await labelled('step 27', page.fill('#fit-sample', '5000'));
    await labelled('step 28', page.press('#fit-sample', 'Enter'));
    const sampled = await labelled('step 29', waitResult(page, (r) => r.trained_on === 5000));
    expect(sampled.nodes.sample === 'computed' && sampled.nodes.predict === 'computed',
      `sample/predict nodes: ${JSON.stringify(sampled.nodes)}`);
    expect(sampled.n_samples === 100000, `labels for ${sampled.n_samples} rows`);
    const predictNode = await page.$eval('#node-predict', (g) => g.dataset.state);
    expect(predictNode !== 'idle' && predictNode !== 'pass', `predict node shows ${predictNode}`);

    // One thread: the page restarts its workers with ?threads=1, and the scenarios survive.
    const before = await scenarioNames(page);
    await Promise.all([page.waitForNavigation(), page.selectOption('#threads', '1')]);
    const one = await labelled('step 30', waitDone(page));
    expect(one.threads === 1 && new URL(page.url()).searchParams.get('threads') === '1', `threads ${one.threads} at ${page.url()}`);
    expect(JSON.stringify(await scenarioNames(page)) === JSON.stringify(before), 'scenarios lost on the thread change');
    expect(one.trained_on === 5000, 'the open scenario changed on the thread change');
    onlyLocal(b.requests);
  } finally { await b.close(); }

  const c = await launch();
  try {
    const { page } = c;
    await labelled('step 31', page.goto(shared.link));
    const r = await labelled('step 32', waitDone(page));
    expect(r.scenario === 'seven-ish', `opened scenario ${r.scenario}`);
    expect(JSON.stringify(r.centres) === JSON.stringify(shared.result.centres), `centres differ:\n${JSON.stringify(r.centres)}\n${JSON.stringify(shared.result.centres)}`);
    expect(!page.url().includes('#s='), 'the link stayed in the address bar');
    // A session saved by a newer version is refused with its version and kept aside. It is
    // written from a same-origin page without the app (the server's 404): the app saves its
    // session on every change, and background work after a result may save again, which
    // would overwrite the planted one before the reload.
    await labelled('step 33', page.goto(`http://127.0.0.1:${ISOLATED_PORT}/no-app-here`));
    await labelled('step 34', page.evaluate(() => localStorage.setItem('blobscale.session', JSON.stringify({ format: 'blobscale-session', version: 99, session: {} }))));
    await labelled('step 35', page.goto(`http://127.0.0.1:${ISOLATED_PORT}/#s=9.e30`));
    await labelled('step 36', waitDone(page));
    const notice = await page.$eval('#scenario-notice', (e) => e.textContent);
    expect(notice.includes('format version 99') && notice.includes('shared link could not be opened: unsupported scenario format version 9:'), `notice: ${notice}`);
    const kept = await labelled('step 37', page.evaluate(() => localStorage.getItem('blobscale.session.unreadable')));
    expect(kept && kept.includes('"version":99'), 'unreadable session not kept');
    onlyLocal(c.requests);
    return `3 scenarios kept over a reload with equal facts; shared link reproduced ${r.centres.length} centres in a fresh profile`;
  } finally { await c.close(); }
}

const cases = [
  ['served with COOP/COEP: threaded build on >= 2 workers', async () => {
    const b = await launch();
    try {
      await b.page.goto(`http://127.0.0.1:${ISOLATED_PORT}/`);
      return await threadedChecks(b, 'isolated');
    } finally { await b.close(); }
  }],
  ['served without headers (GitHub Pages): service worker reloads once, then threaded', async () => {
    const b = await launch();
    try {
      let navigations = 0;
      b.page.on('framenavigated', (f) => { if (f === b.page.mainFrame()) navigations++; });
      await b.page.goto(`http://127.0.0.1:${PLAIN_PORT}/`);
      const detail = await threadedChecks(b, 'service-worker');
      const controlled = await b.page.evaluate(() => !!navigator.serviceWorker.controller);
      expect(controlled, 'no service worker controls the page');
      expect(navigations === 2, `expected one reload (2 navigations), saw ${navigations}`);
      expect(new URL(b.page.url()).pathname === '/', `ended at ${b.page.url()}`);
      return detail;
    } finally { await b.close(); }
  }],
  ['service workers unavailable: single-threaded build runs, draws and says so', async () => {
    const b = await launch({ serviceWorkers: 'block' });
    try {
      await b.page.goto(`http://127.0.0.1:${PLAIN_PORT}/`);
      const r = await waitDone(b.page);
      expect(new URL(b.page.url()).pathname === '/st/', `ended at ${b.page.url()}`);
      expect(r.flavour === 'single-threaded', `flavour is ${r.flavour}`);
      expect(r.threads === 1, `threads ${r.threads}`);
      const says = await b.page.$eval('#flavour', (e) => e.textContent);
      expect(/single-threaded/i.test(says), `status bar says "${says}"`);
      const ink = await canvasDigest(b.page);
      expect(ink.ink > 5000, `canvas nearly blank (${ink.ink} painted pixels)`);
      const { gap, ticks, job_ms } = await longestFrameGap(b.page, r);
      expect(gap < 100, `main thread stalled ${gap.toFixed(0)} ms during a ${job_ms.toFixed(0)} ms job`);
      // Progress comes from the compute worker too: record what the status line says.
      await b.page.evaluate(() => {
        window.__statusTexts = [];
        const s = document.querySelector('#status');
        new MutationObserver(() => window.__statusTexts.push(s.textContent)).observe(s, { childList: true, subtree: true, characterData: true });
      });
      await b.page.focus('#k');
      await b.page.keyboard.press('ArrowLeft');
      const second = await waitDone(b.page, r.k);
      expect(second.k === r.k - 1, `k went ${r.k} -> ${second.k}`);
      // The internal indices follow from the worker too, for the same evaluation.
      const scored = await waitResult(b.page, (x, ev) => x.evaluation === ev && !x.quality_pending, second.evaluation);
      expect(Number.isFinite(scored.silhouette) && scored.nodes.quality === 'computed',
        `single-threaded indices: silhouette ${scored.silhouette}, quality ${scored.nodes.quality}`);
      expect(second.centres.length === second.k, `${second.centres.length} fitted centres for k = ${second.k}`);
      const texts = await b.page.evaluate(() => window.__statusTexts);
      // Recorded only after the key press, so a task's name in the status line is this
      // job's live progress from the worker (without it the line says only "Computing…";
      // with coupled sliders a k change regenerates too). Which task a read lands on
      // depends on how fast each stage runs, and the scores have no "N of M".
      expect(texts.some((t) => /Computing [a-z]+…/.test(t)), `no live progress in the single-threaded build: ${JSON.stringify(texts.slice(0, 8))}`);
      await b.page.screenshot({ path: join(shots, 'single-threaded.png'), fullPage: true });
      // The compute worker runs sweeps too.
      await b.page.fill('#sweep-to', '4');
      await b.page.press('#sweep-to', 'Enter');
      await b.page.click('#run-sweep');
      await b.page.waitForSelector('#sweep-status[data-state="done"]', { timeout: TIMEOUT });
      const rows = await b.page.$$eval('#sweep-table tbody tr', (r) => r.length);
      expect(rows === 3, `single-threaded sweep 2..4 gave ${rows} rows`);
      onlyLocal(b.requests);
      return `job ${job_ms.toFixed(0)} ms with ${ticks} frames, longest frame gap ${gap.toFixed(0)} ms`;
    } finally { await b.close(); }
  }],
  ['replay (threaded): steps, canvas, labels equal native fits stopped at each iteration, play', async () => {
    const b = await launch();
    try {
      await b.page.goto(`http://127.0.0.1:${ISOLATED_PORT}/`);
      const detail = await replayChecks(b.page);
      await b.page.screenshot({ path: join(shots, 'replay.png'), fullPage: true });
      onlyLocal(b.requests);
      return detail;
    } finally { await b.close(); }
  }],
  ['replay (single-threaded): the same in the worker build', async () => {
    const b = await launch();
    try {
      await b.page.goto(`http://127.0.0.1:${PLAIN_PORT}/?nosw`);
      const detail = await replayChecks(b.page);
      onlyLocal(b.requests);
      return detail;
    } finally { await b.close(); }
  }],
  ['scenarios: compared, switched from cache, restored after reload, shared as a link', scenarioCase],
  ['?nosw forces the single-threaded build even where isolation is possible', async () => {
    const b = await launch();
    try {
      await b.page.goto(`http://127.0.0.1:${PLAIN_PORT}/?nosw`);
      const r = await waitDone(b.page);
      expect(r.flavour === 'single-threaded', `flavour is ${r.flavour}`);
      expect(new URL(b.page.url()).search === '?nosw', `query lost: ${b.page.url()}`);
      onlyLocal(b.requests);
      return 'redirected to st/';
    } finally { await b.close(); }
  }],
];

await runCases(cases, servers);
