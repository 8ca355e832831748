// axe-core (Deque's accessibility engine, the one Lighthouse runs) in the built page:
// injected from e2e/node_modules, run on the whole document, its violations returned by
// impact. The page loads nothing from elsewhere, so the script is added as text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Impacts that fail a test; "moderate" and "minor" are reported, not failed.
export const BLOCKING = ['serious', 'critical'];

// Runs axe on `page` as it is now, on the whole document or the part `within` (a CSS
// selector). Returns { blocking, other }: each violation as "rule (impact): target … —
// summary".
export async function audit(page, within = null) {
  const present = await page.evaluate(() => typeof window.axe === 'object');
  if (!present) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (within) => {
    const r = await window.axe.run(within ? document.querySelector(within) : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, within);
  const line = (v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target).join(', ')}` +
    `${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''} — ${v.help}`;
  return {
    blocking: result.filter((v) => BLOCKING.includes(v.impact)).map(line),
    other: result.filter((v) => !BLOCKING.includes(v.impact)).map(line),
    raw: result,
  };
}
