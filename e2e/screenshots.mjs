// Makes the README's screenshots from the built dist/, so they show the page as it is:
//   docs/screenshot-replay.png  a replay in progress (Lloyd iteration 1 of the default fit)
//                               above the pipeline graph with its input and data nodes.
// Usage: node e2e/screenshots.mjs   (after scripts/build-web.sh)
import { join } from 'node:path';
import { launchLocal, root, serveBuild, setRange, waitResult } from './chromium.mjs';

const { isolated, servers } = await serveBuild();
const b = await launchLocal({ options: { viewport: { width: 1200, height: 900 } } });
try {
  const { page } = b;
  await page.goto(`http://127.0.0.1:${isolated}/`);
  const end = await waitResult(page, (r) => r.replay_steps > 0 && !r.replay);
  const step = end.seeding_steps + 1;
  await setRange(page, '#replay-step', step);
  await waitResult(page, (r, s) => r.replay && r.replay.step === s, step);
  await page.waitForTimeout(300);
  // The status bar is fixed to the window's bottom: keep it out of the picture.
  await page.addStyleTag({ content: '#status-bar { display: none !important; }' });
  const top = await page.$eval('.figure', (e) => e.getBoundingClientRect().top + window.scrollY);
  const graph = await page.$eval('#pipeline', (e) => {
    const r = e.getBoundingClientRect();
    return { bottom: r.bottom + window.scrollY, left: r.left, right: r.right };
  });
  const left = await page.$eval('.figure', (e) => e.getBoundingClientRect().left);
  const width = Math.max(graph.right, await page.$eval('.figure', (e) => e.getBoundingClientRect().right)) - left;
  await page.screenshot({
    path: join(root, 'docs', 'screenshot-replay.png'),
    fullPage: true,
    clip: { x: left, y: top, width, height: graph.bottom + 8 - top },
  });
  console.log(`docs/screenshot-replay.png: step ${step} of ${end.replay_steps}`);
} finally {
  await b.close();
  for (const s of servers) s.kill();
}
