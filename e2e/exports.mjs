// Browser tests of the export panel: a user clicks each export button and gets
// a real file — a PNG (magic bytes), labels.csv (n_samples rows + header), centroids.csv
// (k rows), scenario.json (a readable scenario document), jobs.json (jobs with per-chunk task
// records) — and the downloaded dask-ml script, run with dask-ml on a LocalCluster in the
// project's venv (.venv/dask-export, made by scripts/check-dask-export.sh), gives an inertia
// within 1 % of the page's #result. An imported CSV's script reads the same file and agrees
// too. The single-threaded build makes its exports in the compute worker; that path is
// checked as well.
//
// `exportChecks(page)` can be called from e2e/run.mjs on a page that has finished its first
// run; run standalone (`DIST=target/dist-x node e2e/exports.mjs`) it serves the build itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onPage, root, runCases, serveBuild, setRange, shownResult, waitResult } from './chromium.mjs';
import { userCsv } from './import.mjs';

const PYTHON = join(root, '.venv', 'dask-export', 'bin', 'python');
const TIMEOUT = 120_000;
const SAMPLES_200K = 7; // index of 200,000 on the samples slider (SAMPLE_STEPS)
const DATA_SEED = '3'; // five centres at least 7 standard deviations apart

// Waits for a finished run newer than evaluation `after` (of `n_samples` rows, if given).
function waitNewer(page, after, n_samples = null) {
  return waitResult(page, (r, [after, n]) => r.evaluation > after && (n === null || r.n_samples === n), [after, n_samples], { timeout: TIMEOUT });
}

// Clicks an export button and returns the downloaded file's name and bytes.
async function download(page, id, dir) {
  await page.waitForSelector(`#${id}:not([disabled])`, { timeout: TIMEOUT });
  const [d] = await Promise.all([
    page.waitForEvent('download', { timeout: TIMEOUT }),
    page.click(`#${id}`),
  ]);
  const failure = await d.failure();
  expect(!failure, `${id}: download failed: ${failure}`);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  const error = await page.$eval('#export-error', (e) => e.textContent);
  expect(!error, `${id}: the page reports ${error}`);
  return { name: d.suggestedFilename(), path, bytes: readFileSync(path) };
}

function csvRows(bytes) {
  const lines = bytes.toString('utf8').split('\n');
  expect(lines.at(-1) === '', 'CSV does not end with a line feed');
  return lines.slice(0, -1).map((l) => l.split(','));
}

// Runs the downloaded dask-ml script; returns its JSON line.
function runDaskScript(path) {
  if (!existsSync(PYTHON)) {
    const setup = spawnSync('bash', [join(root, 'scripts', 'check-dask-export.sh'), '--setup-only'], { stdio: 'inherit' });
    expect(setup.status === 0, 'could not create .venv/dask-export');
  }
  const run = spawnSync(PYTHON, [path, '--workers', '2'], { encoding: 'utf8', timeout: 300_000 });
  expect(run.status === 0, `the dask-ml script failed (${run.status}): ${(run.stderr || '').slice(-800)}`);
  const last = run.stdout.trim().split('\n').at(-1);
  return JSON.parse(last);
}

// Runs the downloaded script and checks its inertia is within 1 % of the page's.
function daskAgrees(path, inertia) {
  const theirs = runDaskScript(path);
  const rel = Math.abs(theirs.inertia - inertia) / inertia;
  expect(rel <= 0.01, `dask-ml inertia ${theirs.inertia} is ${(100 * rel).toFixed(3)} % from the page's ${inertia}`);
  return { theirs, rel };
}

/// The export checks on a page that has finished a run (threaded or single-threaded).
/// `dask`: also run the downloaded script and compare inertia (seconds of Python).
export async function exportChecks(page, { dask = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'blobscale-exports-'));
  try {
    // A scenario of 200,000 rows on five well-separated blobs, k = 5 (the coupled slider).
    let r = await shownResult(page);
    if (r.n_samples !== 200000) {
      await setRange(page, '#samples', SAMPLES_200K);
      r = await waitNewer(page, r.evaluation, 200000);
    }
    if (await page.inputValue('#data-seed') !== DATA_SEED) {
      await page.fill('#data-seed', DATA_SEED);
      await page.press('#data-seed', 'Enter');
      r = await waitNewer(page, r.evaluation, 200000);
    }
    expect(r.n_samples === 200000, `n_samples ${r.n_samples}`);

    const png = await download(page, 'export-png', dir);
    expect(png.name === 'plot.png', `PNG named ${png.name}`);
    expect(png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'plot.png lacks the PNG signature');
    expect(png.bytes.length > 2000, `plot.png is only ${png.bytes.length} bytes`);

    const labels = await download(page, 'export-labels', dir);
    const rows = csvRows(labels.bytes);
    expect(rows.length === r.n_samples + 1, `labels.csv has ${rows.length} lines for ${r.n_samples} rows + header`);
    expect(rows[0].join(',') === 'x0,x1,label', `labels.csv header ${rows[0]}`);
    const seen = new Set(rows.slice(1).map((f) => Number(f[2])));
    expect(seen.size === r.k && [...seen].every((l) => l >= 0 && l < r.k), `labels.csv uses labels ${[...seen]}`);

    const centroids = await download(page, 'export-centroids', dir);
    const crows = csvRows(centroids.bytes);
    expect(crows[0].join(',') === 'cluster,size,x0,x1', `centroids.csv header ${crows[0]}`);
    expect(crows.length === r.k + 1, `centroids.csv has ${crows.length - 1} rows for k = ${r.k}`);
    const sizes = crows.slice(1).reduce((a, f) => a + Number(f[1]), 0);
    expect(sizes === r.n_samples, `centroid sizes add up to ${sizes}`);

    const scenario = JSON.parse((await download(page, 'export-scenario', dir)).bytes.toString('utf8'));
    expect(scenario.format === 'blobscale-scenarios' && scenario.version === 1, `scenario.json format ${scenario.format} v${scenario.version}`);
    const inputs = scenario.book.scenarios[0].inputs;
    expect(inputs.n_samples === 200000 && inputs.k === r.k && inputs.data_seed === Number(DATA_SEED), `scenario.json inputs ${JSON.stringify(inputs).slice(0, 200)}`);

    const log = JSON.parse((await download(page, 'export-joblog', dir)).bytes.toString('utf8'));
    expect(log.format === 'blobscale-jobs' && Array.isArray(log.jobs), 'jobs.json is not a job log');
    const withTasks = log.jobs.filter((j) => j.tasks.length > 0);
    expect(withTasks.length > 0, `jobs.json: none of ${log.jobs.length} jobs has task records`);
    expect(log.build.flavour === r.flavour && log.build.threads === r.threads, `jobs.json build ${JSON.stringify(log.build)}`);
    const predict = log.jobs.filter((j) => j.task === 'predict' && j.tasks.some((t) => t.kind === 'predict'));
    expect(predict.length > 0, 'jobs.json: the labels export left no predict job with chunk tasks');

    const script = await download(page, 'export-dask', dir);
    const text = script.bytes.toString('utf8');
    expect(script.name === 'blobscale_dask.py' && text.includes('N_SAMPLES = 200000\n') && text.includes(`K = ${r.k}\n`), 'blobscale_dask.py lacks the scenario');
    let detail = `PNG ${png.bytes.length} B, labels.csv ${rows.length - 1} rows, centroids.csv ${crows.length - 1} rows, ` +
      `jobs.json ${log.jobs.length} jobs (${withTasks.length} with tasks)`;
    if (dask) {
      const t0 = Date.now();
      const { theirs, rel } = daskAgrees(script.path, r.inertia);
      detail += `; dask-ml inertia ${theirs.inertia.toFixed(1)} vs page ${r.inertia.toFixed(1)} ` +
        `(${(100 * rel).toFixed(3)} % apart, n_iter ${theirs.n_iter}, ${((Date.now() - t0) / 1000).toFixed(1)} s with the cluster)`;
    }
    return detail;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/// An imported file's script: import a CSV through the import panel (three tight groups, bad
/// rows), set k = 3, download blobscale_dask.py and run it on the same file (saved under the
/// name the script reads): the rows are the same, so the inertia must agree within 1 %.
export async function importedExportChecks(page) {
  const dir = mkdtempSync(join(tmpdir(), 'blobscale-exports-'));
  try {
    const { text, good } = userCsv();
    writeFileSync(join(dir, 'my data.csv'), text);
    await page.setInputFiles('#import-file', { name: 'my data.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.waitForSelector('#import-detected', { timeout: TIMEOUT });
    let r = await shownResult(page);
    await page.click('#import-run');
    r = await waitNewer(page, r.evaluation, good);
    while (r.k !== 3) {
      await page.focus('#k');
      await page.keyboard.press(r.k > 3 ? 'ArrowLeft' : 'ArrowRight');
      r = await waitNewer(page, r.evaluation, good);
    }
    const script = await download(page, 'export-dask', dir);
    const body = script.bytes.toString('utf8');
    expect(body.includes('DATA_FILE = "my data.csv"\n') && body.includes(`N_SAMPLES = ${good}`), 'the script does not read the imported file');
    const { theirs, rel } = daskAgrees(script.path, r.inertia);
    return `imported ${good} rows, k = 3: dask-ml inertia ${theirs.inertia.toFixed(3)} vs page ${r.inertia.toFixed(3)} (${(100 * rel).toFixed(4)} % apart)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function standalone() {
  const { isolated: ISOLATED_PORT, plain: PLAIN_PORT, servers } = await serveBuild();
  const exports = (url, options, dask) => () => onPage({ url, options: { acceptDownloads: true, ...options } }, async (b) => {
    let detail = await exportChecks(b.page, { dask });
    if (dask) detail += `; ${await importedExportChecks(b.page)}`;
    return detail;
  });
  await runCases([
    ['exports from the threaded build, and the dask-ml script agrees with the page', exports(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, true)],
    ['exports from the single-threaded build (made in the compute worker)', exports(`http://127.0.0.1:${PLAIN_PORT}/`, { serviceWorkers: 'block' }, false)],
  ], servers);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await standalone();
