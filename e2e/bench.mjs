// Browser benchmark of the built dist/. Serves dist/ with COOP/COEP on
// 127.0.0.1, drives the page in Debian's headless Chromium through the real UI (sliders,
// the data-seed box, the Run button) and reports, for W1 (1M × 2, 8 centres, k = 8) and
// 10M × 2 (k = 8), with all threads and with one:
//   - end to end: the Run click → #result updated (page clock), and the page's own
//     request → result (job_started_ms..job_ended_ms in #result);
//   - per stage: the ms each pipeline node shows (#node-<task> .node-detail);
//   - the longest main-thread task during the run (PerformanceObserver 'longtask', which
//     only reports tasks ≥ 50 ms) and the longest gap between animation frames;
//   - the native CLI on the same parameters and seeds: `blobscale pipeline` (the page's
//     whole evaluation through the same engine: the same work) and `blobscale fit`
//     (generate + fit only);
//   - ml-kmeans (npm, pinned) in the same Chromium on the same data: the native CLI's
//     `generate` writes the identical blobs (same generator; inertia is compared), the page
//     fetches them from a same-origin URL that this script answers, and ml-kmeans runs on
//     the main thread of a page on the same origin.
// Every measured run uses a data seed not used before in that page, so every node is
// computed afresh (the memo store would reuse a repeated scenario). Each thread count runs
// in --pages fresh pages (2 by default), the seeds dealt out in turn. Four fresh
// one-thread pages used in turn on the same seeds once gave seeding medians of 51, 64, 61
// and 92 ms: most of such spread is the host (a 16 MB streaming loop here switches
// between ~6 and ~11 ms per pass every second or two, as other tenants fill the shared
// cache), but a page that stays slow would decide its thread count's median on its own.
// A page's first run is cold; the warm figure is the median of every other run of every
// page. Then the start-up timeline of both builds (e2e/startup.mjs): --startup-loads fresh
// loads each (5 by default), first paint, first interactive control, first result and the
// longest main-thread task, as medians over the loads.
// Prints markdown tables at the end and writes target/bench/browser-bench.json.
// Exits 0 unless something broke: no timing is asserted.
//
// BENCH_DIST=dir serves another build of the page.
// Usage: node e2e/bench.mjs [--reps N] [--reps-10m N] [--pages N] [--only w1|10m|startup]
//                           [--startup-loads N]
//                           [--no-mlkmeans] [--mlkmeans-cap-s S] [--mlkmeans-runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, launchLocal, requestsAway, root, serveDist, waitResult as waitShown } from './chromium.mjs';
import { playReplay } from './replay.mjs';
import { startupTimeline } from './startup.mjs';

const dist = process.env.BENCH_DIST || join(root, 'dist');
const outDir = join(root, 'target', 'bench');
const PORT = Number(process.env.BENCH_PORT) || (await freePorts(1))[0];
const ORIGIN = `http://127.0.0.1:${PORT}`;
const SAMPLE_STEPS = [1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7];
const TASKS = ['generate', 'sample', 'seed', 'fit', 'predict', 'metrics', 'quality', 'render'];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? true : v;
}
const REPS = Number(arg('reps', 5));
const REPS_10M = Number(arg('reps-10m', 3));
const PAGES = Math.max(1, Math.floor(Number(arg('pages', 2))));
const ONLY = arg('only', null);
const ML = !arg('no-mlkmeans', false);
const ML_CAP_S = Number(arg('mlkmeans-cap-s', 300));
// ml-kmeans's time is the median of this many identical kmeans() calls in one page: a
// single multi-second call of JIT-compiled JavaScript varied by 40 % between runs.
const ML_RUNS = Math.max(1, Number(arg('mlkmeans-runs', 3)));
const STARTUP_LOADS = Math.max(1, Math.floor(Number(arg('startup-loads', 5))));
const STARTUP = !ONLY || String(ONLY).toLowerCase() === 'startup';

const WORKLOADS = [
  { name: 'W1', n: 1_000_000, d: 2, centers: 8, k: 8, std: 1.0, reps: REPS },
  { name: '10M', n: 10_000_000, d: 2, centers: 8, k: 8, std: 1.0, reps: REPS_10M },
].filter((w) => !ONLY || w.name.toLowerCase() === String(ONLY).toLowerCase());

const log = (...a) => console.error('[bench]', ...a);
const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

// ---------------------------------------------------------------- native CLI

function nativeBin() {
  const bin = process.env.BLOBSCALE_BIN || join(root, 'target', 'release', 'blobscale');
  if (!existsSync(bin)) {
    log('building the native CLI (cargo build --release --locked)');
    const cmd = existsSync('/usr/bin/flock')
      ? ['flock', ['/tmp/blobscale-cargo.lock', 'cargo', 'build', '--release', '--locked']]
      : ['cargo', ['build', '--release', '--locked']];
    const r = spawnSync(cmd[0], cmd[1], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(bin)) throw new Error('native build failed');
  }
  return bin;
}

function dataArgs(w, seed) {
  return ['--n-samples', String(w.n), '--n-features', String(w.d), '--centers', String(w.centers),
    '--cluster-std', String(w.std), '--data-seed', String(seed)];
}

function nativeFit(bin, w, seed, threads) {
  const args = ['fit', ...dataArgs(w, seed), '--k', String(w.k), '--threads', String(threads)];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`blobscale ${args.join(' ')}: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  const t = j.timings_s;
  return {
    seed, threads: j.threads, wall_ms: wall,
    load_ms: t.load * 1e3, seeding_ms: t.seeding * 1e3, lloyd_ms: t.lloyd * 1e3, fit_ms: t.fit * 1e3,
    total_ms: (t.load + t.fit) * 1e3, inertia: j.inertia, ari: j.ari, n_iter: j.n_iter,
  };
}

// The page's plot area (src/app/plot.rs PLOT_WIDTH × PLOT_HEIGHT): the native pipeline
// rasterises the same number of pixels.
const PLOT = { width: 724, height: 464 };

// `blobscale pipeline`: the page's whole evaluation (generate, seed, fit, metrics, profile,
// render, then the quality indices) natively, through the same engine, on data seeds
// seeds[0], seeds[0] + 1, …. total_ms is its first delivery, what the page's result waits
// for (the indices follow it in both); whole_ms includes the indices.
function nativePipeline(bin, w, seeds, threads) {
  const args = ['pipeline', ...dataArgs(w, seeds[0]), '--k', String(w.k), '--threads', String(threads),
    '--width', String(PLOT.width), '--height', String(PLOT.height), '--repeat', String(seeds.length)];
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`blobscale ${args.join(' ')}: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  return j.runs.map((run) => ({
    seed: run.data_seed, threads: j.threads, total_ms: run.first_ms, whole_ms: run.total_ms, node_ms: run.node_ms,
    inertia: run.inertia, n_iter: run.n_iter,
  }));
}

// Minimal .npy reader: returns the raw little-endian data bytes and the header.
function readNpy(path) {
  const buf = readFileSync(path);
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path}: not .npy`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  return { descr, header, data: buf.subarray(start) };
}

// ---------------------------------------------------------------- the browser

// Installed before any page script: long tasks, animation frames, Run clicks and every
// change of #result, all on the epoch clock (timeOrigin + now) that #result uses.
const PROBE = () => {
  const now = () => performance.timeOrigin + performance.now();
  const b = (window.__bench = { longtasks: [], raf: [], clicks: [], results: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        b.longtasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
    b.longtaskSupported = true;
  } catch (e) { b.longtaskSupported = false; }
  // Frames are counted only while a measured run is armed: an endless rAF loop would have
  // an idle page draw 60 frames a second, on the same two cores as the page being measured.
  b.armed = false;
  b.ticking = false;
  const tick = (t) => {
    b.raf.push(performance.timeOrigin + t);
    if (b.armed) requestAnimationFrame(tick); else b.ticking = false;
  };
  b.arm = (on) => {
    b.armed = on;
    if (on && !b.ticking) { b.ticking = true; requestAnimationFrame(tick); }
  };
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('#run')) b.clicks.push(now());
  }, true);
  let last = null;
  const watch = () => {
    const el = document.getElementById('result');
    const text = el ? el.textContent : null;
    if (text && text !== last) { last = text; b.results.push({ t: now(), text }); }
  };
  new MutationObserver(watch).observe(document, { subtree: true, childList: true, characterData: true });
};

function launch() {
  return launchLocal({ initScript: PROBE, extraArgs: ['--js-flags=--max-old-space-size=8192'] });
}

async function waitResult(page, afterCount, timeout) {
  // Resolved by a MutationObserver in the page, not by polling: a poll every few ms is
  // main-thread work of the harness's own, taken from the compute threads on 2 cores.
  await page.evaluate(({ n, timeout }) => new Promise((resolve, reject) => {
    const ready = () => {
      const s = document.querySelector('#status')?.dataset.state;
      return s === 'failed' || (s === 'done' && window.__bench.results.length > n);
    };
    if (ready()) return resolve();
    const obs = new MutationObserver(() => {
      if (ready()) { obs.disconnect(); clearTimeout(timer); resolve(); }
    });
    obs.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error(`no result within ${timeout} ms`)); }, timeout);
  }), { n: afterCount, timeout });
  const [state, text] = await page.$eval('#status', (s) => [s.dataset.state, s.textContent]);
  if (state !== 'done') throw new Error(`page reports: ${text}`);
}

async function setRange(page, id, value) {
  await page.$eval(id, (e, v) => {
    e.value = String(v);
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

function parseStage(text) {
  // "computed 123 ms", "computed 4.5 ms", "computed 12.3 s", "same output 3 ms", "reused", ...
  const m = /([\d.,]+)\s*(ms|s)\b/.exec(text || '');
  if (!m) return null;
  const v = Number(m[1].replace(/,/g, ''));
  return m[2] === 's' ? v * 1000 : v;
}

// One workload at one thread count: a fresh browser profile, the page's first result,
// then the workload set through the UI with auto-run off. `runSeed` then measures one run
// started by the Run button on a new data seed; `order` numbers the runs of all pages.
async function openPage(w, threadsParam, index) {
  const b = await launch();
  const url = `${ORIGIN}/${threadsParam ? `?threads=${threadsParam}` : ''}`;
  const timeout = w.n >= 1e7 ? 600_000 : 120_000;
  try {
    await b.page.goto(url);
    await waitResult(b.page, 0, timeout);
    const first = JSON.parse(await b.page.$eval('#result', (e) => e.textContent));
    if (await b.page.isChecked('#auto-run')) await b.page.uncheck('#auto-run');
    if (!(await b.page.isChecked('#coupled'))) await b.page.check('#coupled');
    await setRange(b.page, '#k', w.k);
    const idx = SAMPLE_STEPS.indexOf(w.n);
    if (idx < 0) throw new Error(`${w.n} samples is not offered by the slider`);
    await setRange(b.page, '#samples', idx);
    await setRange(b.page, '#cluster-std', Math.round(w.std * 10));
    const shown = await b.page.$$eval(['#samples-value', '#k-value', '#cluster-std-value'].join(','),
      (els) => els.map((e) => e.textContent));
    return { b, w, url, timeout, first, shown, runs: [], index };
  } catch (e) {
    await b.close();
    throw e;
  }
}

async function runSeed(session, seed, order) {
  const { b, w, timeout, index } = session;
  await b.page.fill('#data-seed', String(seed));
  await b.page.press('#data-seed', 'Enter');
  await b.page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'idle',
    null, { timeout: 10_000 });
  // Run centred in view before the click: Playwright's click otherwise scrolls the button
  // to the centre itself (filling the seed box scrolled it to the edge), and that scroll
  // repaints the whole viewport while the job runs — a user's click on a button they can
  // see moves nothing.
  await b.page.$eval('#run', (e) => e.scrollIntoView({ block: 'center' }));
  await b.page.waitForTimeout(150);
  const before = await b.page.evaluate(() => {
    window.__bench.arm(true);
    return { r: window.__bench.results.length, c: window.__bench.clicks.length };
  });
  await b.page.click('#run');
  await waitResult(b.page, before.r, timeout);
  await b.page.waitForTimeout(250); // let the frame after the result and its long tasks land
  const m = await b.page.evaluate(({ r, c, tasks }) => {
    const bb = window.__bench;
    bb.arm(false);
    const click = bb.clicks[c];
    // The first result after the click: the quality indices update #result again later.
    const res = bb.results[r];
    const j = JSON.parse(res.text);
    const frameAfter = bb.raf.find((t) => t >= res.t) ?? res.t;
    const inside = bb.raf.filter((t) => t > click && t < frameAfter);
    const seq = [click, ...inside, frameAfter];
    let gap = 0;
    for (let i = 1; i < seq.length; i++) gap = Math.max(gap, seq[i] - seq[i - 1]);
    const lts = bb.longtasks.filter((l) => l.start < frameAfter && l.start + l.duration > click);
    const stages = {};
    for (const t of tasks) {
      const g = document.querySelector(`#node-${t}`);
      stages[t] = { state: g?.dataset.state, text: g?.querySelector('.node-detail')?.textContent };
    }
    return {
      click, result_t: res.t, json: j, raf_gap_ms: gap, frames: inside.length,
      longtask_ms: lts.length ? Math.max(...lts.map((l) => l.duration)) : 0,
      longtasks: lts.length, longtaskSupported: bb.longtaskSupported, stages,
      n_results_since: bb.results.length - r,
    };
  }, { ...before, tasks: TASKS });
  const j = m.json;
  if (j.n_samples !== w.n || j.k !== w.k) throw new Error(`page ran ${j.n_samples} × k ${j.k}, not ${w.n} × k ${w.k}`);
  const stage_ms = Object.fromEntries(TASKS.map((t) => [t, parseStage(m.stages[t].text)]));
  session.runs.push({
    seed, order, page: index, first_in_page: session.runs.length === 0,
    click_to_result_ms: m.result_t - m.click,
    request_to_result_ms: j.job_ended_ms - j.job_started_ms,
    click_to_request_ms: j.job_started_ms - m.click,
    engine_ms: j.engine_ms,
    stage_ms, stage_text: Object.fromEntries(TASKS.map((t) => [t, m.stages[t].text])),
    nodes: j.nodes, longtask_ms: m.longtask_ms, longtasks: m.longtasks, raf_gap_ms: m.raf_gap_ms,
    frames: m.frames, inertia: j.inertia, ari: j.adjusted_rand, n_iter: j.n_iter,
    threads: j.threads, flavour: j.flavour, tasks_per_thread: j.tasks_per_thread, n_chunks: j.n_chunks,
  });
  log(`${w.name} threads=${j.threads} page ${index} seed ${seed}: click→result ${(m.result_t - m.click).toFixed(1)} ms ` +
    `(request→result ${(j.job_ended_ms - j.job_started_ms).toFixed(1)}), stages ${TASKS.map((t) => `${t} ${m.stages[t].text}`).join(', ')}; ` +
    `longest task ${m.longtask_ms.toFixed(0)} ms, rAF gap ${m.raf_gap_ms.toFixed(0)} ms, inertia ${j.inertia}, ARI ${j.adjusted_rand}`);
  // The page prepares memory for its next run once idle (150 ms after a result): let it
  // finish before either page's next run, so it never overlaps a measured one.
  await b.page.waitForTimeout(w.n >= 1e7 ? 1500 : 300);
}

async function closePage(session) {
  const { b, url, first, shown, runs } = session;
  const away = requestsAway(b.requests);
  const errors = b.errors;
  await b.close();
  return { url, first_result: first, controls_shown: shown, runs, errors, requests_away: away };
}

// One thread count's pages as one record: every run (in the order run), every error and
// every request that left the machine; the first page's first result and controls.
function mergePages(closed) {
  const [p0] = closed;
  return {
    url: p0.url, pages: closed.length, first_result: p0.first_result, controls_shown: p0.controls_shown,
    runs: closed.flatMap((p) => p.runs).sort((a, b) => a.order - b.order),
    errors: closed.flatMap((p) => p.errors), requests_away: closed.flatMap((p) => p.requests_away),
  };
}

// ---------------------------------------------------------------- ml-kmeans

async function mlBundle() {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: "export { kmeans } from 'ml-kmeans';", resolveDir: dirname(fileURLToPath(import.meta.url)) },
    bundle: true, write: false, format: 'iife', globalName: 'MLKMeans', platform: 'browser', minify: false,
  });
  const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'node_modules', 'ml-kmeans', 'package.json'), 'utf8'));
  return { code: out.outputFiles[0].text, version: pkg.version, esbuild: esbuild.version };
}

// Runs ml-kmeans in a page on the page's origin; the blobs come from the native CLI's
// `generate` (float32 .npy) through a same-origin URL answered by this script.
async function mlKmeans(bin, w, seed, bundle) {
  const tmp = mkdtempSync(join(tmpdir(), 'blobscale-bench-data-'));
  const b = await launch();
  try {
    const x = join(tmp, 'x.npy'), y = join(tmp, 'y.npy');
    const g = spawnSync(bin, ['generate', '--out', x, '--labels-out', y, ...dataArgs(w, seed)], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(`generate: ${g.stderr}`);
    const xs = readNpy(x), ys = readNpy(y);
    if (xs.descr !== '<f4' || ys.descr !== '<i4') throw new Error(`unexpected dtypes ${xs.descr} ${ys.descr}`);
    await b.context.route(`${ORIGIN}/__bench/**`, (route) => {
      const p = new URL(route.request().url()).pathname;
      const headers = { 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' };
      if (p.endsWith('/page.html')) return route.fulfill({ status: 200, contentType: 'text/html', headers, body: '<!doctype html><title>ml-kmeans</title>' });
      if (p.endsWith('/ml-kmeans.js')) return route.fulfill({ status: 200, contentType: 'text/javascript', headers, body: bundle.code });
      if (p.endsWith('/x.f32')) return route.fulfill({ status: 200, contentType: 'application/octet-stream', headers, body: xs.data });
      if (p.endsWith('/y.i32')) return route.fulfill({ status: 200, contentType: 'application/octet-stream', headers, body: ys.data });
      return route.fulfill({ status: 404, body: '' });
    });
    await b.page.goto(`${ORIGIN}/__bench/page.html`);
    await b.page.addScriptTag({ url: `${ORIGIN}/__bench/ml-kmeans.js` });
    const run = b.page.evaluate(async ({ d, k, seed, runs }) => {
      const now = () => performance.now();
      const t0 = now();
      const xf = new Float32Array(await (await fetch('/__bench/x.f32')).arrayBuffer());
      const yt = new Int32Array(await (await fetch('/__bench/y.i32')).arrayBuffer());
      const n = xf.length / d;
      const t1 = now();
      const data = new Array(n);
      for (let i = 0; i < n; i++) {
        const r = new Array(d);
        for (let j = 0; j < d; j++) r[j] = xf[i * d + j];
        data[i] = r;
      }
      // scikit-learn's tol (relative to the mean feature variance), as blobscale uses it.
      let varSum = 0;
      for (let j = 0; j < d; j++) {
        let s = 0, s2 = 0;
        for (let i = 0; i < n; i++) { const v = xf[i * d + j]; s += v; s2 += v * v; }
        varSum += s2 / n - (s / n) ** 2;
      }
      const tolerance = 1e-4 * varSum / d;
      const t2 = now();
      const res = MLKMeans.kmeans(data, k, { initialization: 'kmeans++', seed, maxIterations: 300, tolerance });
      const t3 = now();
      const fits = [t3 - t2];
      for (let r = 1; r < runs; r++) {
        const s = now();
        MLKMeans.kmeans(data, k, { initialization: 'kmeans++', seed, maxIterations: 300, tolerance });
        fits.push(now() - s);
      }
      // Inertia and ARI against the true labels, computed here the same way for every method.
      let inertia = 0;
      const lab = res.clusters;
      for (let i = 0; i < n; i++) {
        const c = res.centroids[lab[i]];
        for (let j = 0; j < d; j++) { const e = data[i][j] - c[j]; inertia += e * e; }
      }
      let kt = 0;
      for (let i = 0; i < n; i++) kt = Math.max(kt, yt[i] + 1);
      const table = new Float64Array(kt * k), a = new Float64Array(kt), bb = new Float64Array(k);
      for (let i = 0; i < n; i++) { table[yt[i] * k + lab[i]]++; a[yt[i]]++; bb[lab[i]]++; }
      const c2 = (v) => v * (v - 1) / 2;
      let sij = 0, sa = 0, sb = 0;
      for (const v of table) sij += c2(v);
      for (const v of a) sa += c2(v);
      for (const v of bb) sb += c2(v);
      const expected = sa * sb / c2(n), max = (sa + sb) / 2;
      const ari = max === expected ? 1 : (sij - expected) / (max - expected);
      return {
        n, fetch_ms: t1 - t0, convert_ms: t2 - t1, fit_ms: [...fits].sort((p, q) => p - q)[fits.length >> 1],
        fit_runs_ms: fits, iterations: res.iterations, converged: res.converged, tolerance, inertia, ari,
      };
    }, { d: w.d, k: w.k, seed, runs: ML_RUNS });
    let timer;
    const cap = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`did not finish within ${ML_CAP_S} s`)), ML_CAP_S * 1000); });
    const r = await Promise.race([run, cap]).finally(() => clearTimeout(timer));
    return { seed, ...r };
  } catch (e) {
    const msg = String(e.message || e).split('\n')[0];
    return { seed, error: /closed|crash/i.test(msg) ? `page crashed or closed (likely out of memory): ${msg}` : msg };
  } finally {
    await b.close().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

const fmt = (v, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ms = (v) => (!Number.isFinite(v) ? '—' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const ratio = (v) => (!Number.isFinite(v) ? '—' : `${v.toFixed(2)}×`);

function summarise(w, label, br, native, pipeline, ml, allThreadsMedian) {
  const later = br.runs.filter((r) => !r.first_in_page);
  const warm = later.length ? later : br.runs;
  const cold = br.runs.find((r) => r.first_in_page) ?? br.runs[0];
  const perPage = [...new Set(br.runs.map((r) => r.page))].map((p) =>
    median(br.runs.filter((r) => r.page === p && !r.first_in_page).map((r) => r.click_to_result_ms)));
  const med = (f) => median(warm.map(f));
  const e2e = med((r) => r.click_to_result_ms);
  const nat = median(native.map((r) => r.total_ms));
  // The native pipeline's runs share one process (one before the browser runs, one
  // after): its first run, like the page's cold run, pays for thread start-up and
  // first-touch memory; warm = the others of both processes.
  const pipeWarm = pipeline.flatMap((runs) => (runs.length > 1 ? runs.slice(1) : runs));
  const natPipe = median(pipeWarm.map((r) => r.total_ms));
  return {
    workload: w.name, label, threads: cold.threads, flavour: cold.flavour,
    e2e_ms: e2e, e2e_cold_ms: cold.click_to_result_ms, e2e_per_page_ms: perPage, pages: perPage.length, request_to_result_ms: med((r) => r.request_to_result_ms),
    engine_ms: med((r) => r.engine_ms),
    stages: Object.fromEntries(TASKS.map((t) => [t, med((r) => r.stage_ms[t])])),
    longtask_ms: Math.max(...br.runs.map((r) => r.longtask_ms)),
    raf_gap_ms: Math.max(...br.runs.map((r) => r.raf_gap_ms)),
    native_ms: nat,
    native_pipeline_ms: natPipe,
    native_pipeline_stages: Object.fromEntries([...TASKS, 'profile'].map((t) => [t, median(pipeWarm.map((r) => r.node_ms[t]))])),
    native_stages: { load: median(native.map((r) => r.load_ms)), seeding: median(native.map((r) => r.seeding_ms)), lloyd: median(native.map((r) => r.lloyd_ms)) },
    // Like for like: the page's k-means (seed + fit nodes) is the work ml-kmeans's
    // kmeans() call and the native CLI's seeding + Lloyd do; its generate + seed + fit is
    // the work of the native CLI's whole run (it neither scores nor draws).
    kmeans_ms: med((r) => r.stage_ms.seed + r.stage_ms.fit),
    native_kmeans_ms: median(native.map((r) => r.seeding_ms + r.lloyd_ms)),
    same_work_ms: med((r) => r.stage_ms.generate + r.stage_ms.seed + r.stage_ms.fit),
    vs_one_thread: allThreadsMedian === null ? null : e2e / allThreadsMedian,
    // Same work: the page's end to end against the native pipeline (every node the page
    // computes); vs_native_fit is against `blobscale fit` (generate + fit only).
    vs_native: e2e / natPipe,
    vs_native_fit: e2e / nat,
    ml_speedup: ml && Number.isFinite(ml.fit_ms) ? ml.fit_ms / e2e : NaN,
    ml_fit_ms: ml && Number.isFinite(ml.fit_ms) ? ml.fit_ms : NaN,
    inertia: cold.inertia, ari: cold.ari, n_iter: cold.n_iter,
    native_inertia: native.find((r) => r.seed === cold.seed)?.inertia,
    native_ari: native.find((r) => r.seed === cold.seed)?.ari,
    reps: br.runs.length,
    all_fresh: br.runs.every((r) => ['generate', 'seed', 'fit'].every((t) => r.nodes[t] === 'computed')),
  };
}

function table(rows, mlRows) {
  const lines = [];
  lines.push("| workload | threads | end to end ms (warm median; cold) | request→result ms | generate / sample / seed / fit / predict / metrics / quality (after the result) / render ms | longest main-thread task (rAF gap) ms | ×speed-up all vs 1 thread (the native pipeline's ×; page ÷ native) | ÷ native pipeline (native ms) | ml-kmeans ÷ page | inertia / ARI (native) |");
  lines.push('| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const s = r.stages;
    const lt = r.longtask_ms > 0 ? ms(r.longtask_ms) : '< 50';
    lines.push(`| ${r.workload} (${r.workload === 'W1' ? '1M' : '10M'} × 2, k = 8) | ${r.threads} | ${ms(r.e2e_ms)}; ${ms(r.e2e_cold_ms)} | ${ms(r.request_to_result_ms)} | ` +
      `${TASKS.map((t) => ms(s[t])).join(' / ')} | ${lt} (${ms(r.raf_gap_ms)}) | ${r.vs_one_thread === null ? '—' : `${ratio(1 / r.vs_one_thread)} (${ratio(r.native_scaling)}; ${ratio(r.scaling_vs_native)})`} | ` +
      `${ratio(r.vs_native)} (${ms(r.native_pipeline_ms)}) | ${Number.isFinite(r.ml_speedup) ? `${r.ml_speedup.toFixed(0)}×` : '—'} | ` +
      `${fmt(r.inertia, 0)} / ${fmt(r.ari, 4)} (${fmt(r.native_inertia, 0)} / ${fmt(r.native_ari, 4)}) |`);
  }
  lines.push('');
  lines.push('| like for like | threads | page k-means ms (seed + fit nodes) | native k-means ms (seeding + Lloyd) | page ÷ native, k-means | page generate + seed + fit ms | ÷ native run (generate + fit) | native pipeline nodes generate / seed / fit / metrics / quality / profile / render ms | ml-kmeans ÷ page k-means |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of rows) {
    const np = r.native_pipeline_stages;
    lines.push(`| ${r.workload} | ${r.threads} | ${ms(r.kmeans_ms)} | ${ms(r.native_kmeans_ms)} | ${ratio(r.kmeans_ms / r.native_kmeans_ms)} | ` +
      `${ms(r.same_work_ms)} | ${ratio(r.same_work_ms / r.native_ms)} | ${['generate', 'seed', 'fit', 'metrics', 'quality', 'profile', 'render'].map((t) => ms(np[t])).join(' / ')} | ` +
      `${Number.isFinite(r.ml_fit_ms) ? `${(r.ml_fit_ms / r.kmeans_ms).toFixed(0)}×` : '—'} |`);
  }
  if (mlRows.length) {
    lines.push('');
    lines.push('| ml-kmeans in the same Chromium | data seed | fit ms (kmeans() call: median; each call) | convert to number[][] ms | iterations | inertia / ARI |');
    lines.push('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const m of mlRows) {
      lines.push(m.error
        ? `| ${m.workload} | ${m.seed} | ${m.error} | — | — | — |`
        : `| ${m.workload} | ${m.seed} | ${ms(m.fit_ms)}; ${(m.fit_runs_ms ?? [m.fit_ms]).map(ms).join(', ')} | ${ms(m.convert_ms)} | ${m.iterations}${m.converged ? '' : ' (not converged)'} | ${fmt(m.inertia, 0)} / ${fmt(m.ari, 4)} |`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/index.html is missing: build the page first (trunk build --release)');
  const bin = WORKLOADS.length ? nativeBin() : null;
  const cores = cpus().length;
  const server = await serveDist(dist, PORT, false);
  const report = { date: new Date().toISOString(), cores, chromium: null, workloads: [] };
  const rows = [], mlRows = [];
  let bundle = null;
  try {
    if (ML) bundle = await mlBundle();
    for (const w of WORKLOADS) {
      const seeds = Array.from({ length: w.reps }, (_, i) => i);
      const entry = { workload: w, native: {}, pipeline: {}, browser: {}, ml: null };
      // This machine's speed drifts by tens of percent within minutes, so what is compared
      // is measured side by side: the native pipeline before and after the browser runs
      // (each runs every seed in one process), and the two pages (all threads, one thread)
      // open together, taking turns seed by seed (who goes first alternates).
      const pipelineBoth = (when) => {
        for (const threads of [cores, 1]) {
          const runs = nativePipeline(bin, w, seeds, threads);
          log(`${w.name} native pipeline threads=${threads} (${when}): total ms ${runs.map((r) => r.total_ms.toFixed(0)).join(', ')}`);
          (entry.pipeline[threads] ||= []).push(runs);
        }
      };
      for (const threads of [cores, 1]) {
        entry.native[threads] = seeds.map((s) => nativeFit(bin, w, s, threads));
        log(`${w.name} native threads=${threads}: total ms ${entry.native[threads].map((r) => r.total_ms.toFixed(0)).join(', ')}`);
      }
      pipelineBoth('before');
      const pagesAll = [], pagesOne = [];
      try {
        for (let q = 0; q < PAGES; q++) {
          pagesAll.push(await openPage(w, null, q));
          pagesOne.push(await openPage(w, 1, q));
        }
        let order = 0;
        for (const [i, seed] of seeds.entries()) {
          // Seed i goes to page pair i mod P; who goes first alternates on each pair.
          const q = i % PAGES;
          const pair = Math.floor(i / PAGES) % 2 ? [pagesOne[q], pagesAll[q]] : [pagesAll[q], pagesOne[q]];
          for (const p of pair) await runSeed(p, seed, order++);
        }
      } finally {
        const closed = { all: [], one: [] };
        for (const p of pagesAll) closed.all.push(await closePage(p));
        for (const p of pagesOne) closed.one.push(await closePage(p));
        if (closed.all.length) entry.browser.all = mergePages(closed.all);
        if (closed.one.length) entry.browser[1] = mergePages(closed.one);
      }
      pipelineBoth('after');
      if (ML) {
        log(`${w.name}: ml-kmeans ${bundle.version} on data seed ${seeds[0]} (cap ${ML_CAP_S} s)`);
        entry.ml = await mlKmeans(bin, w, seeds[0], bundle);
        log(`${w.name}: ml-kmeans ${JSON.stringify(entry.ml)}`);
        mlRows.push({ workload: w.name, ...entry.ml });
      }
      const all = entry.browser.all, one = entry.browser[1];
      const rAll = summarise(w, 'all', all, entry.native[cores], entry.pipeline[cores], entry.ml, null);
      const rOne = summarise(w, '1', one, entry.native[1], entry.pipeline[1], entry.ml, null);
      rAll.vs_one_thread = rAll.e2e_ms / rOne.e2e_ms;
      // The page's thread scaling against the native pipeline's own, from the same run:
      // on a shared 2-core host an absolute speed-up says more about the host than the page.
      rAll.native_scaling = rOne.native_pipeline_ms / rAll.native_pipeline_ms;
      rAll.scaling_vs_native = (rOne.e2e_ms / rAll.e2e_ms) / rAll.native_scaling;
      log(`${w.name}: warm end to end per page, all threads ${rAll.e2e_per_page_ms.map((x) => x.toFixed(0)).join(' / ')} ms, ` +
        `one thread ${rOne.e2e_per_page_ms.map((x) => x.toFixed(0)).join(' / ')} ms`);
      rows.push(rAll, rOne);
      report.workloads.push({ ...entry, summary: [rAll, rOne] });
    }
    if (STARTUP) {
      report.startup = {};
      for (const [build, path, repeat] of [['threaded', '/', false], ['single-threaded', '/st/', false],
        ['threaded, repeat visit', '/', true], ['single-threaded, repeat visit', '/st/', true]]) {
        report.startup[build] = await startupTimeline(`${ORIGIN}${path}`, STARTUP_LOADS, { repeat });
        const m = report.startup[build].median;
        log(`start-up, ${build}: first paint ${m.first_paint_ms.toFixed(0)} ms, interactive ${m.first_interactive_ms.toFixed(0)} ms, ` +
          `first result ${m.first_result_ms.toFixed(0)} ms, longest task ${m.longest_task_ms.toFixed(0)} ms (median of ${STARTUP_LOADS}); ` +
          `long tasks per load ${JSON.stringify(report.startup[build].loads.map((l) => l.long_tasks))}`);
      }
    }
    if (ONLY && !WORKLOADS.length) return finish(report, rows, mlRows, bundle, cores, server);
    // The replay of the page's default fit (1M points), played from the start: the
    // main-thread tasks of 50 ms or more while it plays.
    const rb = await launchLocal({});
    try {
      await rb.page.goto(`http://127.0.0.1:${PORT}/`);
      const end = await waitShown(rb.page, (r) => r.replay_steps > 0 && !r.replay, null, { timeout: 120_000 });
      report.replay = { n_samples: end.n_samples, threads: end.threads, ...await playReplay(rb.page, end.replay_steps) };
      log(`replay of the default fit (${end.n_samples} points, ${end.threads} threads): ${report.replay.steps} steps in ` +
        `${report.replay.ms} ms, longest main-thread task ${report.replay.longest.toFixed(0)} ms (${report.replay.count} of 50 ms or more)`);
    } finally { await rb.close(); }
  } finally {
    server.kill();
  }
  return finish(report, rows, mlRows, bundle, cores, server);
}

// Writes the report and prints the tables.
function finish(report, rows, mlRows, bundle, cores, server) {
  server.kill();
  report.rows = rows;
  report.mlkmeans = bundle ? { version: bundle.version, esbuild: bundle.esbuild } : null;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'browser-bench.json'), JSON.stringify(report, null, 1));

  const problems = [];
  for (const wl of report.workloads) {
    for (const [t, br] of Object.entries(wl.browser)) {
      if (br.requests_away.length) problems.push(`${wl.workload.name}/${t}: requests left 127.0.0.1: ${br.requests_away.slice(0, 3).join(', ')}`);
      if (br.errors.length) problems.push(`${wl.workload.name}/${t}: page errors: ${br.errors.slice(0, 3).join(' | ')}`);
    }
  }
  for (const r of rows) if (!r.all_fresh) problems.push(`${r.workload}/${r.label}: some runs reused generate/seed/fit`);
  for (const wl of report.workloads) {
    for (const [t, br] of Object.entries(wl.browser)) {
      const threads = t === 'all' ? cores : 1;
      for (const [what, nat] of [['native fit', wl.native[threads]], ['native pipeline', wl.pipeline[threads].flat()]]) {
        for (const run of br.runs) {
          const n = nat.find((x) => x.seed === run.seed);
          if (n && Math.abs(n.inertia - run.inertia) > 1e-9 * Math.abs(n.inertia)) {
            problems.push(`${wl.workload.name}/${t} data seed ${run.seed}: page inertia ${run.inertia} (${run.n_iter} iterations) ≠ ${what} ${n.inertia} (${n.n_iter}) at the same parameters`);
          }
        }
      }
    }
  }

  if (report.startup) {
    console.log(`\n## Start-up (${report.date.slice(0, 10)}, ${cores} cores, headless Chromium, fresh profile per load)\n`);
    console.log('| build | first paint | first interactive control | first result | longest main-thread task (median) | loads with a task ≥ 50 ms |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const [build, t] of Object.entries(report.startup)) {
      const m = t.median;
      const lt = m.longest_task_ms >= 50 ? `${m.longest_task_ms.toFixed(0)} ms` : '< 50 ms';
      console.log(`| ${build} | ${m.first_paint_ms.toFixed(0)} ms | ${m.first_interactive_ms.toFixed(0)} ms | ${m.first_result_ms.toFixed(0)} ms | ${lt} | ${t.loads_with_a_long_task} of ${t.loads.length} |`);
    }
  }
  if (!rows.length) return 0;
  console.log(`\n## Browser benchmark (${report.date.slice(0, 10)}, ${cores} cores, headless Chromium; ml-kmeans ${report.mlkmeans?.version ?? 'not run'})\n`);
  console.log(table(rows, mlRows));
  console.log(`\nEnd to end: the Run click → #result updated, page clock; each thread count ran in ${PAGES} fresh page${PAGES > 1 ? 's' : ''}, the seeds dealt out in turn; ` +
    'warm = median of every run but each page\'s first (each run on a new data seed, so every node is computed), cold = the first run of the workload in a fresh page. ' +
    'Stages: the times the pipeline graph shows. Longest main-thread task: PerformanceObserver longtask entries (only tasks ≥ 50 ms are reported); ' +
    'rAF gap: the longest time between animation frames from the click to the frame after the result. ' +
    'The pages (all threads, one thread) are open together and take turns seed by seed. ' +
    'Native pipeline: `blobscale pipeline` — the same nodes through the same engine, natively, same data options, seeds and pixel count, timed to its first delivery as the page\'s result is (the quality indices follow in both; warm median of two processes, one before and one after the browser runs). ' +
    'Native run: `blobscale fit` with the same data options and seeds, generate + fit (median). ' +
    `ml-kmeans: kmeans++ init, seed 0, maxIterations 300, tolerance 1e-4 × mean feature variance, on the identical blobs (data seed 0), main thread; its time is the median of ${ML_RUNS} identical kmeans() calls in one page (the first gives the inertia and ARI).`);
  if (problems.length) {
    console.log('\nProblems:\n' + problems.map((p) => `- ${p}`).join('\n'));
  }
  return 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error('[bench] failed:', e.stack || e);
  process.exit(1);
});
