// The page on a phone (Playwright's touch emulation, a 390 × 844 viewport): the plot and
// the quick controls (samples, k, Run) come first, the other parameters folded under them;
// pinching spreads the view about the fingers, two fingers moved together pan it, and the
// zoom buttons answer a tap. Writes docs/screenshot-phone.png with --screenshot.
// Prints "N passed, N failed" and exits non-zero on any failure.
import { join } from 'node:path';
import { expect, launchLocal, onlyLocal, root, runCases, serveBuild, shownResult, waitResult } from './chromium.mjs';

const { isolated: PORT, servers } = await serveBuild();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const SCREENSHOT = process.argv.includes('--screenshot');

// Two fingers on the plot, moved in `steps` from `from` to `to` (CSS px in the page), as
// the touch events a phone sends.
async function twoFingers(cdp, from, to, steps = 8) {
  const at = (t) => from.map(([x, y], i) => ({ x: x + (to[i][0] - x) * t, y: y + (to[i][1] - y) * t, id: i }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let s = 1; s <= steps; s++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(s / steps) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

const width = (r) => r.window[1] - r.window[0];

// The result once a gesture's requests have all been answered: the shown window no longer
// changes over 400 ms (a gesture sends its window at most every 50 ms, ending on the last).
async function settled(page) {
  await page.waitForTimeout(300);
  let last = null;
  for (let i = 0; i < 60; i++) {
    const r = await waitResult(page, () => true);
    if (last && JSON.stringify(last.window) === JSON.stringify(r.window)) return r;
    last = r;
    await page.waitForTimeout(400);
  }
  throw new Error('the view never settled');
}

const cases = [
  ['phone: the plot and the quick controls first, the rest folded', async () => {
    const b = await launchLocal({ options: PHONE });
    try {
      const { page } = b;
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await waitResult(page, () => true);
      await page.waitForSelector('#status-bar');
      const box = async (sel) => page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width }; });
      const [plot, run, samples, k, fold] = await Promise.all(['#plot', '#run', '#samples', '#k', '#parameters'].map(box));
      expect(plot.bottom <= 844 && run.bottom <= 844 && samples.bottom <= 844 && k.bottom <= 844,
        `not all on the first screen: plot ${plot.bottom}, Run ${run.bottom}, samples ${samples.bottom}, k ${k.bottom}`);
      expect(fold.top > plot.bottom, `the parameters (${fold.top}) come before the plot's end (${plot.bottom})`);
      expect(plot.width >= 340, `the plot is ${plot.width} px wide on a 390 px screen`);
      const open = await page.$eval('#parameters', (d) => d.open);
      expect(!open, 'the other parameters are not folded');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      expect(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      await page.tap('#parameters > summary');
      expect(await page.$eval('#parameters', (d) => d.open), 'tapping the fold does not open it');
      await page.tap('#parameters > summary');
      if (SCREENSHOT) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(200);
        await page.screenshot({ path: join(root, 'docs', 'screenshot-phone.png') });
      }
      onlyLocal(b.requests);
      return `plot ends at ${plot.bottom.toFixed(0)} px, Run at ${run.bottom.toFixed(0)} px of 844; parameters folded below`;
    } finally { await b.close(); }
  }],
  ['touch: pinch zooms about the fingers, two fingers pan, the zoom buttons answer a tap', async () => {
    const b = await launchLocal({ options: PHONE });
    try {
      const { page } = b;
      await page.goto(`http://127.0.0.1:${PORT}/`);
      const home = await waitResult(page, (r) => !!r.window);
      const cdp = await b.context.newCDPSession(page);
      const c = await page.$eval('#plot', (e) => { const r = e.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; });
      // Spread from 60 to 180 px apart: the window narrows about three times.
      await twoFingers(cdp, [[c.x - 30, c.y], [c.x + 30, c.y]], [[c.x - 90, c.y], [c.x + 90, c.y]]);
      const pinched = await settled(page);
      const ratio = width(home) / width(pinched);
      expect(ratio > 2.4 && ratio < 3.6, `a 3× spread zoomed ${ratio.toFixed(2)}×`);
      expect(await page.$eval('#plot', (e) => e.dataset.zoomed) === 'true', 'the plot does not say it is zoomed');
      // Both fingers 80 px right: the data follows them, the window moves left, same size.
      await twoFingers(cdp, [[c.x - 40, c.y], [c.x + 40, c.y]], [[c.x + 40, c.y], [c.x + 120, c.y]]);
      const panned = await settled(page);
      expect(panned.window[0] < pinched.window[0], `a pan to the right moved the window from x ${pinched.window[0]} to ${panned.window[0]}`);
      const sameSize = Math.abs(width(panned) / width(pinched) - 1);
      expect(sameSize < 0.05, `a two-finger pan changed the width by ${(sameSize * 100).toFixed(1)} %`);
      await page.tap('#zoom-in');
      await page.waitForTimeout(200);
      const tapped = await settled(page);
      expect(width(tapped) < 0.9 * width(panned), `a tap on + left the width ${width(panned)} → ${width(tapped)}`);
      await page.tap('#view-reset');
      await waitResult(page, (r, w) => r.window && Math.abs(r.window[1] - r.window[0] - w) < 1e-9 * w, width(home));
      onlyLocal(b.requests);
      return `pinch ${ratio.toFixed(2)}× for a 3× spread; pan moved x by ${(pinched.window[0] - panned.window[0]).toFixed(3)}; ` +
        `+ tapped to ${(width(panned) / width(tapped)).toFixed(2)}×; reset`;
    } finally { await b.close(); }
  }],
];

await runCases(cases, servers, process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '');
