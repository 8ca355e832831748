// The start-up timeline of the built page, as a first or a repeat visit meets it: a fresh
// browser profile per load, from navigation to the first result. For each load: first paint, first
// contentful paint, the first interactive control (the Run button, present and enabled),
// the first result (#status done), and every main-thread task of 50 ms or more (Chrome's
// long tasks, PerformanceObserver 'longtask', buffered from the navigation on).
import { launchLocal, waitResult } from './chromium.mjs';

// Installed before any page script.
const PROBE = () => {
  const s = (window.__startup = { longtasks: [], paints: {}, interactive: null, result: null });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) s.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) s.paints[e.name] = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const watch = () => {
    const run = document.getElementById('run');
    if (s.interactive === null && run && !run.disabled) s.interactive = performance.now();
    if (s.result === null && document.getElementById('status')?.dataset.state === 'done') s.result = performance.now();
  };
  new MutationObserver(watch).observe(document, { subtree: true, childList: true, attributes: true });
};

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

// `loads` loads of `url`, each in a fresh profile: a first visit, or with `repeat` a
// second visit after a first one in the same profile (its files then come from the
// caches); each load's timeline and the medians over loads.
export async function startupTimeline(url, loads = 5, { repeat = false } = {}) {
  const each = [];
  for (let i = 0; i < loads; i++) {
    const b = await launchLocal({ initScript: PROBE });
    try {
      if (repeat) {
        await b.page.goto(url);
        await waitResult(b.page, () => true, null, { timeout: 120_000 });
        // Idle long enough for the page to keep its build offline, as a visitor's would.
        await b.page.waitForSelector('#offline[data-state="ready"], #offline[data-state="unavailable"]', { timeout: 60_000 }).catch(() => {});
      }
      await b.page.goto(url);
      await waitResult(b.page, () => true, null, { timeout: 120_000 });
      // Tasks that end the load (the frame after the result) are reported a moment later.
      await b.page.waitForTimeout(300);
      const s = await b.page.evaluate(() => window.__startup);
      const longest = Math.max(0, ...s.longtasks.map((t) => t.duration));
      each.push({
        first_paint_ms: s.paints['first-paint'] ?? NaN,
        first_contentful_paint_ms: s.paints['first-contentful-paint'] ?? NaN,
        first_interactive_ms: s.interactive ?? NaN,
        first_result_ms: s.result ?? NaN,
        longest_task_ms: longest,
        long_tasks: s.longtasks.map((t) => [Math.round(t.start), Math.round(t.duration)]),
      });
    } finally {
      await b.close();
    }
  }
  const m = (k) => median(each.map((e) => e[k]));
  return {
    loads: each,
    median: {
      first_paint_ms: m('first_paint_ms'),
      first_contentful_paint_ms: m('first_contentful_paint_ms'),
      first_interactive_ms: m('first_interactive_ms'),
      first_result_ms: m('first_result_ms'),
      longest_task_ms: m('longest_task_ms'),
    },
    loads_with_a_long_task: each.filter((e) => e.longest_task_ms >= 50).length,
  };
}
