// Montage Studio end to end: Debian's Chromium, driven headless by playwright-core, against a real
// `montage serve` (startTestService) rendering with the real engine. A person's path through the
// page: enter a key, pick an example, render it (the progress bar reaches 100 %), play the result
// (its duration is the composition's, and time advances), break a field (the problem is drawn at
// that field, from the page's own check and from the service's), and fill a placeholder form (the
// rendered frame shows the new text). Renders are small (320×180 draft, 2.5 s).
//
// Screenshots go to test-artifacts/studio/. Chromium comes from scripts/setup.sh (apt, as root);
// without it these tests skip and say so.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadRealEngine } from '../../src/jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../../src/main/start-test-service.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts/studio');
const CHROMIUM = process.env.MONTAGE_CHROMIUM ?? '/usr/bin/chromium';
const example = (name: string) => readFileSync(join(ROOT, 'studio/examples', name), 'utf8');

let svc: TestService | undefined;
let browser: Browser | undefined;
let page: Page;
let key = '';
let skip: string | undefined;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    skip = `Chromium is not installed at ${CHROMIUM}: run scripts/setup.sh --with-test-tools as root (it installs Debian's chromium) or set MONTAGE_CHROMIUM`;
    return;
  }
  if (!existsSync(join(ROOT, 'studio/dist/index.html'))) { skip = 'studio/dist is missing: run npm run build:studio'; return; }
  const r = await loadRealEngine();
  if (!('engine' in r)) { skip = r.skip; return; }
  svc = await startTestService({ engine: r.engine });
  key = (await svc.createKey('studio')).key;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await svc?.stop();
});

const shot = (name: string, fullPage = true) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });

/** Replaces the editor's text the way a paste does (one input event, no auto-closed brackets). */
async function typeComposition(text: string) {
  await page.getByRole('textbox', { name: 'Composition JSON' }).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

/** The PNG frame shown by Quick preview, as RGBA pixels. */
const previewPixels = () => page.locator('#preview-image').evaluate((img: HTMLImageElement) => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth;
  c.height = img.naturalHeight;
  const g = c.getContext('2d')!;
  g.drawImage(img, 0, 0);
  return { width: c.width, height: c.height, data: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
});

/** The horizontal extent of near-white pixels (the headline) in rows y0..y1. */
const whiteExtent = (p: { width: number; data: number[] }, y0: number, y1: number) => {
  let min = Infinity;
  let max = -Infinity;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < p.width; x++) {
      const i = (y * p.width + x) * 4;
      if (p.data[i] > 230 && p.data[i + 1] > 230 && p.data[i + 2] > 230) { min = Math.min(min, x); max = Math.max(max, x); }
    }
  }
  return max >= min ? max - min + 1 : 0;
};

describe('Montage Studio in Chromium', () => {
  it('is served at / with its hashed files cached for good, and stays out of the API document', async (t) => {
    if (skip) return t.skip(skip);
    const page0 = await fetch(`${svc!.url}/`);
    assert.equal(page0.status, 200);
    assert.match(page0.headers.get('content-type')!, /^text\/html/);
    assert.equal(page0.headers.get('cache-control'), 'no-cache');
    assert.match(page0.headers.get('content-security-policy')!, /connect-src 'self'/);
    const html = await page0.text();
    const js = /src="(\/studio\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(js, 'index.html loads a hashed script');
    const script = await fetch(`${svc!.url}${js}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    assert.match(script.headers.get('cache-control')!, /immutable/);
    assert.ok((await script.arrayBuffer()).byteLength > 1000);
    const again = await fetch(`${svc!.url}${js}`, { headers: { 'if-none-match': script.headers.get('etag')! } });
    assert.equal(again.status, 304);
    await again.arrayBuffer();
    for (const path of ['/studio/assets/nope.js', '/studio/..%2f..%2fpackage.json', '/studio/%2e%2e/%2e%2e/package.json']) {
      const res = await fetch(`${svc!.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { code: string }).code, 'MONTAGE_E_NOT_FOUND');
    }
    const doc = await (await fetch(`${svc!.url}/openapi.json`)).json() as { paths: Record<string, unknown> };
    assert.ok(!Object.keys(doc.paths).some((p) => p === '/' || p.startsWith('/studio')));
  });

  it('loads the page and takes an API key, kept in session storage', async (t) => {
    if (skip) return t.skip(skip);
    await page.goto(`${svc!.url}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('Key accepted.').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('montage.studio.key')), key);
    assert.ok(!(await page.evaluate((k) => Object.values(localStorage).some((v) => v.includes(k)), key)), 'the key is kept nowhere beyond the tab');
    // Keyboard: the key field leads to its button, and Tab leaves the editor instead of indenting.
    await page.getByLabel('API key').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Use key');
    await page.getByRole('textbox', { name: 'Composition JSON' }).focus();
    await page.keyboard.press('Tab');
    assert.ok(!(await page.evaluate(() => document.activeElement?.closest('.cm-editor'))), 'Tab moves focus out of the editor');
  });

  it('renders a gallery example with a live progress bar that reaches 100 %', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: /Title card/ }).click();
    await page.getByText('No problems.').waitFor(); // checked by the page and by POST /v1/validate
    await page.locator('#render-progress').evaluate((el) => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => seen.push(Number(el.getAttribute('value')))).observe(el, { attributes: true, attributeFilter: ['value'] });
    });
    const events = page.waitForResponse((r) => /\/v1\/renders\/[^/]+\/events$/.test(r.url()));
    const submitted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/v1/renders'));
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    const body = (await submitted).postDataJSON() as { composition: { output: Record<string, unknown> } };
    assert.equal(body.composition.output.width, 320, 'half size');
    assert.equal(body.composition.output.quality, 'draft');
    const sse = await events;
    assert.match(sse.headers()['content-type'], /^text\/event-stream/, 'progress comes from the SSE stream');
    assert.equal((await sse.request().allHeaders()).authorization, `Bearer ${key}`, 'the stream is authorized by header, not by URL');
    await page.getByText(/^Done in/).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#render-progress').evaluate((el: HTMLProgressElement) => el.value), 100);
    assert.equal(await page.locator('#render-percent').textContent(), '100 %');
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen, `progress never goes back: ${seen.join(', ')}`);
    assert.equal(seen.at(-1), 100);
  });

  it('plays the result in a video element with the composition\'s duration, and offers the download', async (t) => {
    if (skip) return t.skip(skip);
    const video = page.locator('#result-video');
    await video.waitFor();
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      if (v.readyState < 1) await new Promise((r) => v.addEventListener('loadedmetadata', r, { once: true }));
      v.muted = true;
      await v.play();
      const t0 = v.currentTime;
      await new Promise((r) => setTimeout(r, 1000));
      return { duration: v.duration, t0, t1: v.currentTime, width: v.videoWidth, height: v.videoHeight, error: v.error?.code ?? null };
    });
    assert.equal(played.error, null);
    assert.ok(Math.abs(played.duration - 2.5) < 0.1, `duration ${played.duration} s, the title card lasts 2.5 s`);
    assert.ok(played.t1 - played.t0 > 0.3, `currentTime advances while playing: ${played.t0} → ${played.t1}`);
    assert.deepEqual([played.width, played.height], [320, 180]);
    const link = page.locator('#download');
    assert.match((await link.getAttribute('download'))!, /^rnd_.+\.mp4$/);
    const download = page.waitForEvent('download');
    await link.click();
    assert.match((await download).suggestedFilename(), /\.mp4$/);
    await page.locator('#renders li[data-status="succeeded"] img[src^="blob:"]').first().waitFor(); // thumbnail in the recent list
    assert.match(await page.locator('#renders li').first().innerText(), /succeeded[\s\S]*took/);
    await shot('rendered');
  });

  it('shows an invalid edit\'s problem at its field: from the schema in the page and from the service', async (t) => {
    if (skip) return t.skip(skip);
    const text = example('title-card.json');
    // fps 500 breaks the schema (found in the page); width 641 is odd, which only the service knows mp4 refuses.
    await typeComposition(text.replace('"fps": 30', '"fps": 500'));
    const schemaLine = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error', { hasText: /^500$/ }) });
    await schemaLine.locator('.cm-inline-diagnostic').filter({ hasText: /must be ≤ 60/ }).waitFor();
    await typeComposition(text.replace('"width": 640', '"width": 641'));
    const serviceLine = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error', { hasText: /^641$/ }) });
    await serviceLine.locator('.cm-inline-diagnostic').filter({ hasText: /even/ }).waitFor();
    assert.deepEqual(await page.locator('.cm-lintRange-error').allTextContents(), ['641'], 'only the width is marked');
    assert.match(await page.locator('#problems').innerText(), /\/output\/width: must be even/);
    await page.locator('.cm-lintRange-error').scrollIntoViewIfNeeded();
    await page.locator('section.edit').screenshot({ path: join(ARTIFACTS, 'problem-at-field.png') });
    // Fixing it clears the mark.
    await typeComposition(text);
    await page.getByText('No problems.').waitFor();
    assert.equal(await page.locator('.cm-lintRange-error').count(), 0);
  });

  it('an invalid edit keeps the playhead\'s range and clears the stale "… loaded." status', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: /Title card/ }).click();
    const status = page.locator('#preview-status');
    assert.equal(await status.textContent(), 'Title card loaded.');
    const playhead = page.locator('#playhead');
    await page.waitForFunction(() => Number((document.getElementById('playhead') as HTMLInputElement).max) > 1);
    const range = Number(await playhead.getAttribute('max'));
    // Half-typed JSON: the composition has no duration for a moment; the slider must not collapse to 0.05 s.
    const text = await page.locator('.cm-content').innerText();
    await typeComposition(text.slice(0, Math.floor(text.length / 2)));
    await page.getByText('The text is not valid JSON yet.').waitFor();
    assert.equal(Number(await playhead.getAttribute('max')), range, 'the range survives the invalid edit');
    assert.notEqual(await status.textContent(), 'Title card loaded.', 'the example is no longer as it was loaded');
  });

  it('generates a form from a template\'s placeholders, and its values change the rendered text', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: /Template with placeholders/ }).click();
    const form = page.locator('#placeholders');
    await form.getByLabel('name', { exact: true }).waitFor();
    for (const name of ['background', 'message', 'seconds']) assert.ok(await form.getByLabel(name, { exact: true }).isVisible(), name);
    assert.equal(await form.getByLabel('name', { exact: true }).inputValue(), 'World', 'starts from the composition\'s merge');

    const previewOnce = async () => {
      const req = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/v1/renders'));
      await page.getByRole('button', { name: 'Preview frame', exact: true }).click();
      const body = (await req).postDataJSON() as { merge: Record<string, unknown>; composition: { output: Record<string, unknown> } };
      await page.locator('#preview-status').filter({ hasText: /ready in/ }).waitFor({ timeout: 30_000 });
      return { body, pixels: await previewPixels() };
    };
    const before = await previewOnce();
    assert.equal(before.body.composition.output.format, 'png', 'a still');
    await form.getByLabel('name', { exact: true }).fill('Bo');
    const changed = await previewOnce();
    assert.equal(changed.body.merge.name, 'Bo', 'the form value reaches the request as merge');

    // The headline ("Hello, …!", white) sits a little above the middle: "Hello, Bo!" is narrower than "Hello, World!".
    const { width, height } = changed.pixels;
    assert.deepEqual([width, height], [320, 180]);
    const band = [Math.round(height * 0.3), Math.round(height * 0.5)] as const;
    const a = whiteExtent(before.pixels, ...band);
    const b = whiteExtent(changed.pixels, ...band);
    assert.ok(a > 40, `the default headline is drawn (${a} px wide)`);
    assert.ok(b > 20 && b < a - 30, `the new name narrows the headline: ${a} px → ${b} px`);
    const corner = changed.pixels.data.slice(0, 3);
    assert.ok(Math.abs(corner[0] - 0x3a) < 12 && Math.abs(corner[1] - 0x0c) < 12 && Math.abs(corner[2] - 0xa3) < 12, `background from merge: ${corner}`);
    await shot('placeholder-form');
  });

  it('uploads a file dropped on the drop zone, and inserts its asset: source into the composition', async (t) => {
    if (skip) return t.skip(skip);
    const png = readFileSync(join(ROOT, 'examples/media/badge.png')).toString('base64');
    // A real drop event with a DataTransfer holding the file, as the browser makes for a drag from the desktop.
    await page.locator('#dropzone').evaluate((zone, b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'badge.png', { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, png);
    await page.getByText(/Uploaded badge\.png: use "src": "asset:/).waitFor();
    const src = await page.locator('#assets li code').last().textContent();
    assert.match(src ?? '', /^asset:/);
    // The service has it, with the dropped bytes.
    const asset = await (await fetch(`${svc!.url}/v1/assets/${src!.slice('asset:'.length)}`, { headers: { authorization: `Bearer ${key}` } })).json() as { bytes: number };
    assert.equal(asset.bytes, Buffer.from(png, 'base64').length, JSON.stringify(asset));
    await page.getByRole('button', { name: new RegExp(`Insert ${src} \\(badge\\.png\\)`) }).click();
    const text = await page.locator('.cm-content').innerText();
    assert.ok(text.includes(src!), 'the asset source is in the editor');
  });

  it('fits a phone-sized screen', async (t) => {
    if (skip) return t.skip(skip);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 390 px (overflow ${overflow} px)`);
    for (const name of ['Render', 'Preview frame']) {
      const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `${name} is on screen`);
    }
    await shot('phone');
  });
});
