// Browser tests of the import panel: a user drops their own CSV — header, three
// numeric columns and a text one, a few bad rows — sees the preview with the detected
// delimiter and header, keeps two columns, imports, and gets a report naming each bad row
// by line and column with a count of the rest; the canvas draws the imported points, and a
// new k reuses the imported dataset node. A .npy file imports too, and a file whose .npy
// header claims 2^31 × 8 float64 values is refused from its header with the size it
// would need, before its data are read. The single-threaded build parses in the compute
// worker; that path is checked as well, and a reload restores the import from IndexedDB.
//
// `importChecks(page)` runs on a page that has finished its first run; standalone
// (`DIST=target/dist-x node e2e/import.mjs`) it serves the build itself.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canvasDigest, expect, onPage, root, runCases, serveBuild, waitResult } from './chromium.mjs';

const TIMEOUT = 60_000;

// Three tight groups, 600 rows each; bad rows on known lines (line 1 is the header).
const BAD_LINES = new Map([
  [5, '0.5,oops,1.0,a'],      // column 2: not a number
  [9, '1.5,2.5'],             // 2 fields, expected 4
  [14, 'NaN,1.0,2.0,c'],      // column 1: not finite
  [20, 'bad,1,1,d'], [30, 'bad,1,1,d'], [40, 'bad,1,1,d'], [50, 'bad,1,1,d'],
]);
export function userCsv() {
  const lines = ['x,y,z,label'];
  let good = 0;
  for (let line = 2; lines.length < 1800 + BAD_LINES.size + 1; line++) {
    if (BAD_LINES.has(line)) { lines.push(BAD_LINES.get(line)); continue; }
    const g = good % 3, j = (good * 7919 % 1000) / 1000;
    lines.push(`${(g * 10 + j).toFixed(3)},${(g * -8 + j * 0.5).toFixed(3)},${(j * 3).toFixed(3)},g${g}`);
    good++;
  }
  return { text: lines.join('\r\n') + '\r\n', good };
}

// A .npy file (format 1.0): header padded to 64 bytes, float64 little-endian values.
export function npyFile(shape, values) {
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93]).copy(head, 0);
  head.write('NUMPY', 1, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const data = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => data.writeDoubleLE(v, i * 8));
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), data]);
}


async function setFile(page, name, mimeType, buffer) {
  await page.setInputFiles('#import-file', { name, mimeType, buffer });
  await page.waitForSelector('#import-detected', { timeout: TIMEOUT });
}

async function importAndReport(page) {
  await page.click('#import-run');
  await page.waitForFunction(() => document.querySelector('#import-report') || document.querySelector('#import-error')?.textContent,
    null, { timeout: TIMEOUT });
  const err = await page.$eval('#import-error', (e) => e.textContent);
  expect(!err, `import failed: ${err}`);
  return page.$eval('#import-report', (e) => ({ rows: Number(e.dataset.rows), bad: Number(e.dataset.badCount), text: e.textContent }));
}

// The CSV flow on a page that has finished its first run.
export async function importChecks(page) {
  const { text, good } = userCsv();
  await setFile(page, 'my data.csv', 'text/csv', Buffer.from(text));
  const detected = await page.$eval('#import-detected', (e) => ({ ...e.dataset, text: e.textContent }));
  expect(detected.format === 'csv' && detected.delimiter === 'comma' && detected.header === 'true',
    `detected ${JSON.stringify(detected)}`);
  const names = await page.$$eval('#import-preview thead th', (t) => t.map((x) => x.textContent.trim()));
  expect(JSON.stringify(names) === JSON.stringify(['x', 'y', 'z', 'label']), `preview columns ${names}`);
  const rows = await page.$$eval('#import-preview tbody tr', (r) => r.length);
  expect(rows === 10, `preview shows ${rows} rows`);
  const checked = await page.$$eval('#import-preview thead input', (c) => c.map((x) => x.checked));
  expect(JSON.stringify(checked) === '[true,true,true,false]', `numeric columns picked ${checked}`);
  expect(await page.$eval('#import-delimiter', (s) => s.value) === 'comma', 'delimiter select');
  expect(await page.$eval('#import-header', (c) => c.checked), 'header checkbox');
  // Keep x and y.
  await page.uncheck('#import-col-2');
  const report = await importAndReport(page);
  expect(report.bad === BAD_LINES.size, `report counts ${report.bad} bad rows: ${report.text}`);
  expect(report.rows === good, `report keeps ${report.rows} rows, expected ${good}`);
  for (const want of ["line 5, column 2: 'oops' — not a number", "line 9, column 3: '1.5,2.5' — 2 fields, expected 4",
    "line 14, column 1: 'NaN' — not a finite number", "line 20, column 1: 'bad' — not a number", 'and 2 more']) {
    expect(report.text.includes(want), `report lacks "${want}": ${report.text}`);
  }
  const first = await waitResult(page, (r, good) => r.n_samples === good && r.n_features === 2, good);
  expect(first.adjusted_rand === null, `ARI on a file without ground truth: ${first.adjusted_rand}`);
  expect(first.nodes.generate === 'computed', `generate was ${first.nodes.generate}`);
  const { ink } = await canvasDigest(page);
  expect(ink > 500, `canvas nearly blank (${ink} painted pixels)`);
  expect((await page.$eval('#import-source', (e) => e.textContent)).includes('my data.csv'), 'source line');
  // A new k refits on the imported dataset: the dataset node is reused.
  await page.focus('#k');
  await page.keyboard.press('ArrowRight');
  const second = await waitResult(page, (r, k) => r.k === k, first.k + 1);
  expect(second.nodes.generate === 'reused' || second.nodes.generate === 'known', `generate was ${second.nodes.generate}`);
  const node = await page.$eval('#node-generate', (g) => g.dataset.state);
  expect(node === 'reused', `pipeline graph shows generate as ${node}`);
  return { rows: good, k: second.k, ink };
}

// A .npy import, then a file refused from its header; then back to blobs.
export async function npyChecks(page) {
  const values = [];
  for (let i = 0; i < 600; i++) { const g = i % 3; values.push(g * 5 + (i % 7) / 10, -g * 5, (i % 11) / 10); }
  await setFile(page, 'points.npy', 'application/octet-stream', npyFile([600, 3], values));
  const detected = await page.$eval('#import-detected', (e) => ({ ...e.dataset, text: e.textContent }));
  expect(detected.format === 'npy' && detected.text.includes('<f8'), `detected ${JSON.stringify(detected)}`);
  const report = await importAndReport(page);
  expect(report.rows === 600 && report.bad === 0, `npy report ${JSON.stringify(report)}`);
  await waitResult(page, (r) => r.n_samples === 600 && r.n_features === 3);

  // 2^31 rows × 8 float64 columns in the header, no data: refused from the header, beside
  // the disabled Import button, before a byte of data is read.
  await setFile(page, 'huge.npy', 'application/octet-stream', npyFile([2 ** 31, 8], []));
  const err = await page.$eval('#import-why', (e) => e.textContent);
  expect(/^'huge\.npy' cannot be imported: the file needs about \d+ MiB to import \(2147483648 rows × 8 columns\), only \d+ MiB fit/.test(err), `refusal: ${err}`);
  expect(await page.$eval('#import-run', (b) => b.disabled), 'Import enabled for a file that cannot fit');

  await page.click('#import-clear');
  const back = await waitResult(page, (r) => r.adjusted_rand !== null);
  expect(back.n_features === 2, `blobs back with ${back.n_features} features`);
  return `npy 600 × 3 imported; "${err}"`;
}

// A 150-row, 4-feature file (three groups of 50 on grids, far enough apart that no two
// markers touch): every row must show as a marker in its cluster's colour. Counted in the
// canvas's pixels with the centres and legend switched off (they are drawn over the
// points): regions of one palette colour of at least 9 pixels, so a single-pixel point
// never counts.
export async function smallDataChecks(page) {
  const lines = ['a,b,c,d'];
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < 50; i++) lines.push(`${g * 12 + (i % 10)},${g * 3 + Math.floor(i / 10)},${(i * 37) % 11},${g}`);
  }
  await setFile(page, 'flowers.csv', 'text/csv', Buffer.from(lines.join('\n') + '\n'));
  const report = await importAndReport(page);
  expect(report.rows === 150 && report.bad === 0, `small file report ${JSON.stringify(report)}`);
  const r = await waitResult(page, (r) => r.n_samples === 150 && r.n_features === 4);
  expect(r.points?.style === 'markers' && r.points.visible === 150, `points drawn as ${JSON.stringify(r.points)}`);
  await page.uncheck('#show-centres');
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const palette = await page.evaluate(() => JSON.parse(document.querySelector('#result').textContent).palette);
  const found = await page.$eval('#plot', (c, palette) => {
    const { width: w, height: h } = c;
    const d = c.getContext('2d').getImageData(0, 0, w, h).data;
    const colourAt = (p) => palette.findIndex((q) => d[p * 4] === q[0] && d[p * 4 + 1] === q[1] && d[p * 4 + 2] === q[2] && d[p * 4 + 3] === 255);
    const seen = new Uint8Array(w * h);
    const byColour = palette.map(() => 0);
    for (let start = 0; start < w * h; start++) {
      const c0 = colourAt(start);
      if (c0 < 0 || seen[start]) continue;
      const stack = [start]; let size = 0; seen[start] = 1;
      while (stack.length) {
        const p = stack.pop(); size++;
        const x = p % w, y = (p - x) / w;
        for (const q of [x > 0 ? p - 1 : -1, x + 1 < w ? p + 1 : -1, y > 0 ? p - w : -1, y + 1 < h ? p + w : -1]) {
          if (q >= 0 && !seen[q] && colourAt(q) === c0) { seen[q] = 1; stack.push(q); }
        }
      }
      if (size >= 9) byColour[c0]++;
    }
    return byColour;
  }, palette);
  const total = found.reduce((a, b) => a + b, 0);
  const colours = found.filter((n) => n > 0).length;
  await page.check('#show-centres');
  expect(total === 150, `${total} coloured markers on the canvas for 150 rows (by colour ${found})`);
  expect(colours === Math.min(r.k, palette.length), `markers in ${colours} colours for k = ${r.k}`);
  return `150 rows as ${total} markers in ${colours} colours (radius ${r.points.radius})`;
}

// Files as real tools write them (tests/fixtures/import, made with pandas by
// scripts/make_import_fixtures.py): every one pandas reads imports untouched, with the rows
// pandas reads; every other one keeps Import disabled and says why beside it, naming the
// file. Then the flower file with its species column as ground truth, fitted from three of
// its rows as starting centres: the page's n_iter, inertia and adjusted Rand index are
// scikit-learn's (iris_oracle.json).
const FIXTURES = join(root, 'tests', 'fixtures', 'import');
const fixture = (f) => readFileSync(join(FIXTURES, f));

async function chooseFile(page, name, buffer) {
  await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer });
  await page.waitForFunction((n) => {
    const detected = document.querySelector('#import-detected')?.textContent || '';
    const why = document.querySelector('#import-why')?.textContent || '';
    const idle = document.querySelector('#import-progress')?.dataset.state === 'idle';
    return idle && (detected.startsWith(n) || why.includes(`'${n}'`));
  }, name, { timeout: TIMEOUT });
  return page.$eval('#import-why', (e) => e.textContent);
}

export async function dialectChecks(page) {
  const manifest = JSON.parse(fixture('expected.json'));
  const read = [];
  for (const c of manifest.read) {
    const why = await chooseFile(page, c.file, fixture(c.file));
    expect(why === '', `${c.file} refused: ${why}`);
    const before = await page.evaluate(() => JSON.parse(document.querySelector('#result')?.textContent || '{}').job_ended_ms);
    const report = await importAndReport(page);
    expect(report.rows === c.rows && report.bad === 0, `${c.file}: ${JSON.stringify(report)}, pandas reads ${c.rows} rows`);
    await waitResult(page, (r, [n, t]) => r.n_samples === n && r.job_ended_ms !== t, [c.rows, before]);
    read.push(c.file);
  }
  for (const c of manifest.refused) {
    const why = await chooseFile(page, c.file, fixture(c.file));
    expect(why.startsWith(`'${c.file}' cannot be imported:`) && why.includes(c.reason), `${c.file}: "${why}"`);
    expect(await page.$eval('#import-run', (b) => b.disabled), `${c.file}: Import enabled`);
  }
  const text = await chooseFile(page, 'text_only.csv', fixture('text_only.csv'));
  expect(text.includes("'name' holds 'ada'"), `no first offending value: ${text}`);
  // Overriding a detection re-reads the preview: a point as decimal mark leaves no number.
  await chooseFile(page, 'decimal_comma.csv', fixture('decimal_comma.csv'));
  const detected = await page.$eval('#import-detected', (e) => ({ ...e.dataset }));
  expect(detected.delimiter === 'semicolon' && detected.decimal === 'comma', `detected ${JSON.stringify(detected)}`);
  await page.selectOption('#import-decimal', 'point');
  await page.waitForFunction(() => document.querySelector('#import-why')?.textContent.includes('no numeric column'), null, { timeout: TIMEOUT });
  await page.click('#import-clear');
  return `${read.length} files imported as pandas reads them, ${manifest.refused.length} refused with their reason`;
}

export async function truthAndCentresChecks(page) {
  const oracle = JSON.parse(fixture('iris_oracle.json'));
  const csv = fixture('iris.csv');
  await chooseFile(page, 'iris.csv', csv);
  await page.selectOption('#import-truth', '4');
  const report = await importAndReport(page);
  expect(report.rows === 150 && report.text.includes("Ground truth: 'species', 3 classes"), `report ${report.text}`);
  const seeded = await waitResult(page, (r) => r.n_samples === 150 && r.n_features === 4 && r.adjusted_rand !== null);
  await page.$eval('#k', (e) => { e.value = '3'; e.dispatchEvent(new Event('input', { bubbles: true })); });
  const lines = csv.toString().trim().split('\n');
  const rows = oracle.init_rows.map((i) => lines[i + 1].split(',').slice(0, 4).join(','));
  await page.evaluate(() => { document.querySelector('#parameters').open = true; });
  await page.selectOption('#init', 'explicit');
  await page.fill('#init-centres', rows.join('\n'));
  await page.click('#init-centres-apply');
  const r = await waitResult(page, (r, n) => r.k === 3 && r.n_iter === n && r.n_samples === 150, oracle.n_iter);
  const rel = Math.abs(r.inertia - oracle.inertia) / oracle.inertia;
  expect(rel < 1e-9, `inertia ${r.inertia}, scikit-learn ${oracle.inertia}`);
  expect(Math.abs(r.adjusted_rand - oracle.adjusted_rand) < 1e-12, `ARI ${r.adjusted_rand}, scikit-learn ${oracle.adjusted_rand}`);
  // labels.csv from the page: scikit-learn's labels row by row, and the species carried.
  await page.waitForSelector('#export-labels:not([disabled])', { timeout: TIMEOUT });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click('#export-labels')]);
  const saved = join(root, 'target', 'e2e', `labels-${Date.now()}.csv`);
  mkdirSync(join(root, 'target', 'e2e'), { recursive: true });
  await download.saveAs(saved);
  const exported = readFileSync(saved, 'utf8').trim().split('\n').map((l) => l.split(','));
  expect(exported[0].slice(-2).join(',') === 'label,species', `labels.csv header ${exported[0]}`);
  const labels = exported.slice(1).map((f) => Number(f.at(-2)));
  expect(JSON.stringify(labels) === JSON.stringify(oracle.labels), 'labels.csv labels differ from scikit-learn\'s');
  const species = exported.slice(1).map((f) => f.at(-1));
  const want = lines.slice(1).map((l) => l.split(',')[4]);
  expect(JSON.stringify(species) === JSON.stringify(want), 'labels.csv does not carry the species');
  // A wrong count is refused at the field, naming k.
  await page.fill('#init-centres', rows.slice(0, 2).join('\n'));
  await page.click('#init-centres-apply');
  const err = await page.$eval('#init-centres-error', (e) => e.textContent);
  expect(err.includes('2 rows') && err.includes('k = 3'), `centre count error: ${err}`);
  await page.selectOption('#init', 'k-means||');
  await page.click('#import-clear');
  return `iris with species as truth: ARI ${seeded.adjusted_rand.toFixed(4)} seeded by k-means||; from rows ${oracle.init_rows}: `
    + `n_iter ${r.n_iter}, ARI ${r.adjusted_rand}, the 150 exported labels = scikit-learn's`;
}

// Sample weights from a column: the weighted fit of weighted.csv from three given centres
// is the fit of weighted_repeated.csv (the same rows repeated by their weights) from the
// same centres — scikit-learn's sample_weight semantics, through the page's import.
export async function weightChecks(page) {
  const csv = fixture('weighted.csv').toString().trim().split('\n');
  const centres = csv.slice(1, 4).map((l) => l.split(',').slice(0, 3).join(',')).join('\n');
  await chooseFile(page, 'weighted.csv', fixture('weighted.csv'));
  await page.selectOption('#import-weight', '3');
  const report = await importAndReport(page);
  expect(report.rows === 40 && report.text.includes("Sample weights: 'weight'"), `report ${report.text}`);
  await page.$eval('#k', (e) => { e.value = '3'; e.dispatchEvent(new Event('input', { bubbles: true })); });
  const before = await waitResult(page, (r) => r.k === 3 && r.n_samples === 40 && r.n_features === 3);
  await page.evaluate(() => { document.querySelector('#parameters').open = true; });
  await page.selectOption('#init', 'explicit');
  await page.fill('#init-centres', centres);
  await page.click('#init-centres-apply');
  const w = await waitResult(page, (r, t) => r.k === 3 && r.n_samples === 40 && r.job_ended_ms > t, before.job_ended_ms);
  const repeated = fixture('weighted_repeated.csv');
  const rows = repeated.toString().trim().split('\n').length - 1;
  await chooseFile(page, 'weighted_repeated.csv', repeated);
  await importAndReport(page);
  const r = await waitResult(page, (r, n) => r.k === 3 && r.n_samples === n, rows);
  const rel = Math.abs(r.inertia - w.inertia) / r.inertia;
  expect(rel < 1e-9 && r.n_iter === w.n_iter, `weighted: inertia ${w.inertia}, n_iter ${w.n_iter}; repeated: ${r.inertia}, ${r.n_iter}`);
  await page.selectOption('#init', 'k-means||');
  await page.click('#import-clear');
  return `40 weighted rows fit as ${rows} repeated rows: inertia ${w.inertia.toFixed(2)} both, n_iter ${w.n_iter}`;
}

// A file far larger than the slices it is read in (8 MiB): the wasm memory that parses it
// may grow by the parsed values plus one slice's buffers (StreamImport::buffer_bound: 6 ×
// 8 MiB), never by the file's text — reading it whole, as imports did before, grows it by
// the text and the values twice. Written once under target/.
const SLICE_MIB = 8;
export function bigCsv(mib = 160) {
  const dir = join(root, 'target', 'e2e');
  const path = join(dir, `big-${mib}mib.csv`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const lines = ['x,y'];
    let bytes = 4, i = 0;
    const parts = [];
    while (bytes < mib * 1024 * 1024) {
      const g = i % 5;
      const line = `${(g * 40 + (i * 7919 % 1000) / 250).toFixed(4)},${(g * -25 + (i * 104729 % 1000) / 300).toFixed(4)}`;
      lines.push(line);
      bytes += line.length + 1;
      i++;
      if (lines.length >= 100_000) { parts.push(lines.join('\n')); lines.length = 0; }
    }
    parts.push(lines.join('\n'));
    writeFileSync(path, parts.join('\n') + '\n');
  }
  return { path, bytes: statSync(path).size };
}

export async function streamedChecks(page) {
  const { path, bytes } = bigCsv();
  await page.setInputFiles('#import-file', path);
  await page.waitForFunction(() => (document.querySelector('#import-detected')?.textContent || '').startsWith('big-'), null, { timeout: TIMEOUT });
  const t0 = Date.now();
  const report = await importAndReport(page);
  const seconds = (Date.now() - t0) / 1000;
  const growth = await page.$eval('#import-report', (e) => Number(e.dataset.memoryGrowth));
  const parsed = report.rows * 2 * 4;
  const bound = parsed + 6 * SLICE_MIB * 1024 * 1024;
  expect(growth <= bound, `wasm memory grew ${(growth / 2 ** 20).toFixed(1)} MiB for ${(parsed / 2 ** 20).toFixed(1)} MiB of values: bound ${(bound / 2 ** 20).toFixed(1)} MiB`);
  expect(growth < bytes, `memory grew by ${growth} B, the file's text is ${bytes} B`);
  await waitResult(page, (r, n) => r.n_samples === n, report.rows, { timeout: 120_000 });
  await page.click('#import-clear');
  await waitResult(page, (r) => r.adjusted_rand !== null);
  return `${(bytes / 2 ** 20).toFixed(0)} MiB CSV, ${report.rows} rows in ${seconds.toFixed(1)} s (${(bytes / 2 ** 20 / seconds).toFixed(0)} MiB/s); `
    + `wasm memory grew ${(growth / 2 ** 20).toFixed(1)} MiB ≤ ${(parsed / 2 ** 20).toFixed(1)} MiB values + ${6 * SLICE_MIB} MiB`;
}

async function standalone() {
  const { isolated: ISOLATED_PORT, plain: PLAIN_PORT, servers } = await serveBuild();
  let shots = 0;
  const on = (url, options, body) => () => onPage({
    url, options,
    onFail: (b) => b.page.screenshot({ path: join(root, 'target', `import-fail-${++shots}.png`), fullPage: true }),
  }, body);
  await runCases([
    ['threaded build: CSV with bad rows, preview, two columns, report, reuse on a new k; reload restores it',
      on(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, async (b) => {
        const r = await importChecks(b.page);
        await b.page.reload();
        const again = await waitResult(b.page, (x, rows) => x.n_samples === rows && x.n_features === 2, r.rows, { failFast: false });
        return `${r.rows} rows kept, k ${r.k}, ${r.ink} pixels; after a reload generate ${again.nodes.generate}`;
      })],
    ['threaded build: a 150-row file is 150 markers coloured by cluster',
      on(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, (b) => smallDataChecks(b.page))],
    ['threaded build: .npy import and a 2^31 × 8 header refused before parsing',
      on(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, (b) => npyChecks(b.page))],
    ['threaded build: files as real tools write them import or say why; a class column is ground truth; your own centres are scikit-learn\'s',
      on(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, async (b) => `${await dialectChecks(b.page)}; ${await truthAndCentresChecks(b.page)}; ${await weightChecks(b.page)}`)],
    ['threaded build: a 160 MiB file streams in 8 MiB slices within the memory bound',
      on(`http://127.0.0.1:${ISOLATED_PORT}/`, {}, (b) => streamedChecks(b.page))],
    ['single-threaded build: a 160 MiB file streams to the compute worker within the memory bound',
      on(`http://127.0.0.1:${PLAIN_PORT}/`, { serviceWorkers: 'block' }, (b) => streamedChecks(b.page))],
    ['single-threaded build: the compute worker parses the CSV',
      on(`http://127.0.0.1:${PLAIN_PORT}/`, { serviceWorkers: 'block' }, async (b) => {
        const r = await importChecks(b.page);
        return `${r.rows} rows kept, k ${r.k}; ${await npyChecks(b.page)}; ${await smallDataChecks(b.page)}; `
          + `${await dialectChecks(b.page)}; ${await truthAndCentresChecks(b.page)}; ${await weightChecks(b.page)}`;
      })],
  ], servers);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await standalone();
