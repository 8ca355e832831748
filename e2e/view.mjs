// Browser checks of the main canvas's view: zoom and pan re-render only the `render` node
// (dataset, seeding and fit come from the memo store), reset restores the first picture,
// the PCA projection labels its axes, and the dataset deck shows a histogram per feature
// and the first rows. Call viewChecks(page) on a page showing the default 1M × 2 result;
// it leaves the page at 2 features and the two-feature projection, as it found it.
import { canvasChanged, canvasDigest as digestOf, expect as check, shownResult, waitResult } from './chromium.mjs';

function expect(cond, message) {
  check(cond, `view: ${message}`);
}

// The next result after evaluation `previous` (the runner delivers only the newest).
async function nextResult(page, previous) {
  await waitResult(page, (r, prev) => r.evaluation !== prev, previous);
  // The zoom throttle may send its trailing request just after: let that one finish too.
  await page.waitForTimeout(120);
  return waitResult(page, () => true);
}

// The canvas's pixels, as a digest.
const canvasDigest = async (page) => (await digestOf(page)).digest;
const axesCaption = (page) => page.$eval('#plot-axes', (e) => e.textContent);

const reusedOrKnown = (s) => s === 'reused' || s === 'known';

function onlyRenderRan(r, what) {
  expect(r.nodes.render === 'computed', `${what}: render was ${r.nodes.render}`);
  for (const n of ['generate', 'seed', 'fit', 'metrics', 'profile', 'project']) {
    expect(reusedOrKnown(r.nodes[n]), `${what}: ${n} was ${r.nodes[n]}, not reused`);
  }
}

export async function viewChecks(page) {
  const first = await shownResult(page);
  expect(first.n_features === 2, `expected the default 2-feature result, got ${first.n_features}`);
  const home = await canvasDigest(page);
  const homeAxes = await axesCaption(page);
  const zoomedAttr = () => page.$eval('#plot', (c) => c.dataset.zoomed);
  expect(await zoomedAttr() === 'false', 'the first result is already zoomed');
  // Back at the first view: the first picture, its render taken from the memo store (its
  // key is the first one's again), the page no longer zoomed, the first axes.
  const atHome = async (r, how, from) => {
    expect(r.nodes.render === 'reused', `${how}: render was ${r.nodes.render}, not reused from the first view`);
    for (const n of ['generate', 'seed', 'fit', 'metrics', 'profile', 'project']) {
      expect(reusedOrKnown(r.nodes[n]), `${how}: ${n} was ${r.nodes[n]}, not reused`);
    }
    expect(r.lit_pixels === first.lit_pixels, `${how}: ${r.lit_pixels} lit pixels, the first view had ${first.lit_pixels}`);
    expect(await zoomedAttr() === 'false', `still zoomed after ${how}`);
    const axes = await axesCaption(page);
    expect(axes === homeAxes, `axes after ${how}: "${axes}", first "${homeAxes}"`);
    expect(from !== home, `before ${how} the canvas already showed the first picture: the check proves nothing`);
    expect(await canvasDigest(page) === home, `${how} did not restore the first picture`);
  };

  // Wheel over the plot: zoom in around the cursor. Only render reruns.
  const box = await page.$eval('#plot', (c) => {
    const r = c.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
  });
  await page.mouse.move(box.x + box.w * 0.55, box.y + box.h * 0.45);
  await page.mouse.wheel(0, -400);
  // Immediate feedback: the previous image is transformed before any new raster arrives.
  await canvasChanged(page, home);
  const zoomed = await nextResult(page, first.evaluation);
  onlyRenderRan(zoomed, 'wheel zoom');
  expect(await zoomedAttr() === 'true', 'canvas not marked zoomed');
  const zoomedPicture = await canvasDigest(page);
  expect(zoomedPicture !== home, 'canvas unchanged after zooming');
  const axesText = await axesCaption(page);
  expect(axesText.includes('zoomed'), `axes caption: ${axesText}`);

  // Drag pans: again only render.
  await page.mouse.move(box.x + box.w * 0.5, box.y + box.h * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.w * 0.5 + 60, box.y + box.h * 0.5 + 30, { steps: 5 });
  await page.mouse.up();
  const panned = await nextResult(page, zoomed.evaluation);
  onlyRenderRan(panned, 'drag pan');
  const pannedPicture = await canvasDigest(page);
  expect(pannedPicture !== zoomedPicture, 'canvas unchanged after panning');

  // Reset: the first picture again, from the memo store.
  await page.click('#view-reset');
  const reset = await nextResult(page, panned.evaluation);
  await atHome(reset, 'reset', pannedPicture);

  // Keyboard: + zooms (canvas focused), double-click resets.
  await page.focus('#plot');
  await page.keyboard.press('+');
  const keyed = await nextResult(page, reset.evaluation);
  onlyRenderRan(keyed, 'keyboard zoom');
  await page.keyboard.press('ArrowLeft');
  const arrowed = await nextResult(page, keyed.evaluation);
  onlyRenderRan(arrowed, 'arrow pan');
  const arrowedPicture = await canvasDigest(page);
  await page.dblclick('#plot');
  const back = await nextResult(page, arrowed.evaluation);
  await atHome(back, 'double-click', arrowedPicture);

  // Five features, then PCA: the axes are principal components with their variance.
  await page.fill('#n-features', '5');
  await page.press('#n-features', 'Enter');
  const five = await nextResult(page, back.evaluation);
  expect(five.n_features === 5, `n_features ${five.n_features}`);
  await page.selectOption('#projection', 'pca');
  const pca = await nextResult(page, five.evaluation);
  expect(pca.nodes.project === 'computed', `project was ${pca.nodes.project}`);
  expect(reusedOrKnown(pca.nodes.fit), `fit was ${pca.nodes.fit} after choosing PCA`);
  const pcaAxes = await axesCaption(page);
  expect(/x: PC1 \(\d+(\.\d)? %\)/.test(pcaAxes) && pcaAxes.includes('PC2'), `axes caption: ${pcaAxes}`);
  const featureSelectDisabled = await page.$eval('#feature-x', (e) => e.disabled);
  expect(featureSelectDisabled, 'feature selects still enabled under PCA');

  // The dataset deck: a histogram per feature and the first ten rows with labels.
  await page.click('#deck-tab-generate');
  await page.waitForSelector('#deck-histograms', { timeout: 60_000 });
  const hist = await page.$$eval('#deck-histograms figure.histogram', (f) => f.map((e) => [e.dataset.feature, e.dataset.bins, e.querySelectorAll('rect').length]));
  expect(hist.length === 5, `${hist.length} histograms for 5 features`);
  expect(hist.every(([, bins, bars]) => bins === '40' && Number(bars) > 3), `histograms: ${JSON.stringify(hist)}`);
  const rows = await page.$$eval('#deck-first-rows tbody tr', (r) => r.map((tr) => tr.children.length));
  expect(rows.length === 10, `${rows.length} first rows`);
  expect(rows.every((n) => n === 5 + 2), `first-row cells: ${JSON.stringify(rows)}`);
  const label = await page.$eval('#deck-first-rows tbody tr td:last-child', (td) => td.textContent);
  expect(/^\d+$/.test(label), `first row's label "${label}"`);

  // Leave the page as found.
  await page.selectOption('#projection', 'features');
  const features = await nextResult(page, pca.evaluation);
  await page.fill('#n-features', '2');
  await page.press('#n-features', 'Enter');
  const restored = await nextResult(page, features.evaluation);
  expect(restored.n_features === 2, 'could not restore 2 features');

  // Hamerly is offered only from 32 features, where it is faster than Lloyd.
  const hamerly = () => page.$eval('#algorithm option[value="hamerly"]', (o) => [o.disabled, o.textContent.trim()]);
  const [offNarrow, narrowText] = await hamerly();
  expect(offNarrow && narrowText.includes('slower than Lloyd below 32 features'), `Hamerly at 2 features: disabled ${offNarrow}, "${narrowText}"`);
  await page.fill('#n-features', '32');
  await page.press('#n-features', 'Enter');
  const wide = await nextResult(page, restored.evaluation);
  const [offWide, wideText] = await hamerly();
  expect(!offWide && wideText.includes('fewer distances'), `Hamerly at 32 features: disabled ${offWide}, "${wideText}"`);
  await page.fill('#n-features', '2');
  await page.press('#n-features', 'Enter');
  const narrow = await nextResult(page, wide.evaluation);
  expect(narrow.n_features === 2, 'could not restore 2 features after 32');
  return `zoom, pan, keys and reset re-rendered only render; PCA axes "${pcaAxes.trim()}"; ` +
    `${hist.length} histograms and ${rows.length} first rows; Hamerly offered at 32 features, not at 2`;
}
