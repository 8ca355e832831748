// Import throughput on one large CSV, in one run: the page (both builds, the file streamed
// in 8 MiB slices through the import panel: the Import click → the report), the native CLI
// (`blobscale fit --input`, its `timings_s.load`: the same importer), and pandas and polars
// `read_csv` on the same file (a venv at .venv/import-bench from
// scripts/requirements-import-bench.txt, exact pins). Every reader reads the same bytes from
// the page cache; each figure is the best of --reps. Prints a markdown table with MiB/s and
// each reader's time ÷ blobscale's, and writes target/bench/import-bench.json.
// Exits 0 unless something broke: no timing is asserted.
//
// Usage: node e2e/import_bench.mjs [--mib 200] [--reps 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchLocal, root, serveBuild, waitResult } from './chromium.mjs';
import { bigCsv } from './import.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MIB = arg('mib', 200);
const REPS = arg('reps', 3);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error}`);
  return r.stdout;
}

function venv() {
  const dir = join(root, '.venv', 'import-bench');
  const reqs = join(root, 'scripts', 'requirements-import-bench.txt');
  const stamp = join(dir, '.installed');
  if (!existsSync(stamp) || statSync(reqs).mtimeMs > statSync(stamp).mtimeMs) {
    run('python3', ['-m', 'venv', dir]);
    run(join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', reqs]);
    writeFileSync(stamp, '');
  }
  return join(dir, 'bin', 'python');
}

const PY = `
import json, sys, time
import pandas as pd, polars as pl
path, reps = sys.argv[1], int(sys.argv[2])
def best(f):
    t = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); t.append(time.perf_counter() - t0)
    return min(t)
print(json.dumps({"pandas": best(lambda: pd.read_csv(path)), "polars": best(lambda: pl.read_csv(path))}))
`;

async function page(url, path, options) {
  const b = await launchLocal({ options });
  try {
    await b.page.goto(url);
    await waitResult(b.page, () => true);
    const times = [];
    for (let i = 0; i < REPS; i++) {
      await b.page.setInputFiles('#import-file', path);
      await b.page.waitForFunction(() => (document.querySelector('#import-detected')?.textContent || '').startsWith('big-'), null, { timeout: 60_000 });
      const t0 = Date.now();
      await b.page.click('#import-run');
      await b.page.waitForFunction(() => document.querySelector('#import-report') || document.querySelector('#import-error')?.textContent, null, { timeout: 600_000 });
      times.push((Date.now() - t0) / 1000);
      const err = await b.page.$eval('#import-error', (e) => e.textContent);
      if (err) throw new Error(`import failed: ${err}`);
      await b.page.click('#import-clear');
    }
    return Math.min(...times);
  } finally {
    await b.close();
  }
}

const { path, bytes } = bigCsv(MIB);
const mib = bytes / 2 ** 20;
console.log(`file: ${path} (${mib.toFixed(1)} MiB)`);
run('cargo', ['build', '--release', '--locked', '--quiet', '--bin', 'blobscale']);
const cli = [];
for (let i = 0; i < REPS; i++) {
  const out = JSON.parse(run(join(root, 'target', 'release', 'blobscale'), ['fit', '--input', path, '--k', '2', '--max-iter', '1']));
  cli.push(out.timings_s.load);
}
const py = JSON.parse(run(venv(), ['-c', PY, path, String(REPS)]));
const { isolated, plain, servers } = await serveBuild();
let threaded, single;
try {
  threaded = await page(`http://127.0.0.1:${isolated}/`, path, {});
  single = await page(`http://127.0.0.1:${plain}/`, path, { serviceWorkers: 'block' });
} finally {
  for (const s of servers) s.kill();
}
const rows = [
  ['blobscale page, threaded (2 threads)', threaded],
  ['blobscale page, single-threaded', single],
  ['blobscale CLI (2 threads)', Math.min(...cli)],
  ['pandas 3.1.1 read_csv', py.pandas],
  ['polars 2.1.0 read_csv', py.polars],
];
const base = rows[0][1];
console.log(`\n| reader (${mib.toFixed(0)} MiB CSV, 2 columns) | seconds | MiB/s | ÷ page (threaded) |\n|---|---:|---:|---:|`);
for (const [name, s] of rows) console.log(`| ${name} | ${s.toFixed(2)} | ${(mib / s).toFixed(0)} | ${(s / base).toFixed(2)}× |`);
mkdirSync(join(root, 'target', 'bench'), { recursive: true });
writeFileSync(join(root, 'target', 'bench', 'import-bench.json'), JSON.stringify({ mib, rows }, null, 1));
