// The replay, checked in a built page (either flavour): as many steps as seeding rounds +
// the seeds + Lloyd iterations; stepping by the slider, the buttons and the keyboard
// changes the canvas; each Lloyd step's labels equal a native fit (the CLI) run with
// max_iter = that iteration, by label digest; play runs to the end by itself; and the
// longest main-thread task while it plays is reported.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { canvasChanged, canvasDigest, expect, root, setRange, waitResult } from './chromium.mjs';

// The page's default data and fit (src/app/page.rs default_inputs).
const DEFAULT_DATA = ['--n-samples', '1000000', '--centers', '5', '--data-seed', '42', '--k', '5'];

// The native CLI: BLOBSCALE_BIN, or the dev build (optimised) that `cargo test` leaves.
function nativeBin() {
  const bin = process.env.BLOBSCALE_BIN || join(root, 'target', 'debug', 'blobscale');
  if (!existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '--locked', '--quiet', '--bin', 'blobscale'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not build the native CLI');
  }
  return bin;
}

// The labels digest of a native fit of the default data stopped after `maxIter` iterations.
function nativeDigest(maxIter) {
  const args = ['fit', ...DEFAULT_DATA, '--max-iter', String(maxIter)];
  const r = spawnSync(nativeBin(), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`blobscale ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout).labels_digest;
}

const atStep = (page, step) => waitResult(page, (r, s) => r.replay && r.replay.step === s, step);

export async function replayChecks(page) {
  const end = await waitResult(page, (r) => r.replay_steps > 0 && !r.replay);
  const steps = end.replay_steps;
  expect(steps === end.seeding_steps + end.n_iter + 1,
    `${steps} steps for ${end.seeding_steps} seeding rounds and ${end.n_iter} iterations`);
  expect(end.seeding_steps >= 2, `k-means|| shows ${end.seeding_steps} seeding steps`);
  const shownSteps = await page.$eval('#replay', (e) => Number(e.dataset.steps));
  expect(shownSteps === steps, `the controls offer ${shownSteps} steps, the fit has ${steps}`);
  const final = await canvasDigest(page);

  // The slider: the first seeding round, grey points and one candidate.
  await setRange(page, '#replay-step', 0);
  const first = await atStep(page, 0);
  expect(first.replay.kind.kind === 'seeding' && first.replay.candidates === 1 && first.replay.centres === 0,
    `step 0 is ${JSON.stringify(first.replay)}`);
  await canvasChanged(page, final.digest);
  const atFirst = await canvasDigest(page);
  // The button, then the keyboard (→ on the replay's controls).
  await page.click('#replay-forward');
  const second = await atStep(page, 1);
  expect(second.replay.candidates > 1, `round 1 shows ${second.replay.candidates} candidates`);
  await canvasChanged(page, atFirst.digest);
  await page.focus('#replay-play');
  await page.keyboard.press('ArrowRight');
  await atStep(page, 2);

  // Each Lloyd step against a native fit stopped there.
  const compared = [];
  for (let i = 1; i <= end.n_iter; i++) {
    const step = end.seeding_steps + i;
    await setRange(page, '#replay-step', step);
    const r = await atStep(page, step);
    expect(r.replay.kind.kind === 'lloyd' && r.replay.kind.iteration === i, `step ${step} is ${JSON.stringify(r.replay)}`);
    const native = nativeDigest(i);
    expect(r.replay.labels_digest === native,
      `iteration ${i}: page labels ${r.replay.labels_digest}, native fit with max_iter = ${i} ${native}`);
    compared.push(i);
  }
  const chartMark = await page.$eval('#replay-chart .replay-mark', (e) => Number(e.dataset.step));
  expect(chartMark === end.n_iter, `the convergence chart rings step ${chartMark}, not ${end.n_iter}`);

  // Back to the result, then play from the start to the end, measuring main-thread tasks.
  await page.click('#replay-end');
  await waitResult(page, (r) => !r.replay);
  const { longest, count } = await playReplay(page, steps);
  return `${steps} steps (${end.seeding_steps} seeding, ${end.n_iter} iterations); labels equal native max_iter = ` +
    `${compared.join(', ')}; played through, longest main-thread task ${longest.toFixed(0)} ms (${count} ≥ 50 ms)`;
}

// Plays a shown result's replay of `steps` steps from the start to the end and returns the
// main-thread tasks of 50 ms or more meanwhile (Chrome's long tasks): the longest, their
// count, and the time it played.
export async function playReplay(page, steps) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  const t0 = Date.now();
  await page.click('#replay-play');
  await page.waitForSelector('#replay[data-playing="true"]', { timeout: 5_000 });
  await page.waitForSelector('#replay[data-playing="false"]', { timeout: 120_000 });
  const ms = Date.now() - t0;
  const last = await atStep(page, steps - 1);
  expect(last.replay.step === steps - 1, `play stopped at ${last.replay.step}`);
  const longTasks = await page.evaluate(() => window.__longTasks);
  return { longest: Math.max(0, ...longTasks), count: longTasks.length, ms, steps };
}
