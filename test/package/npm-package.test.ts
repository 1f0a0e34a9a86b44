/**
 * The npm package as users get it (issue 15): `npm pack` (whose prepack builds dist/), installed
 * into an empty folder outside the repository and globally into a temporary prefix, then run with
 * no tsx and no dev dependency anywhere it can reach: `montage --version`, `validate` (a valid and
 * an invalid composition), a small `render` decoded with ffmpeg, `npx montage render`, the typed
 * `montage/client` (imported by plain Node and type-checked by tsc) against `montage serve`, which
 * answers /readyz, renders through the API, serves the output and the Studio page. And the packed
 * file list: the compiled code, its types, the schema and the Studio, and no tests, bench data,
 * sources or node_modules.
 *
 * Slow by nature (two installs of the production dependencies from the local npm cache: about a
 * minute each on the 2-core machine), so each step is one test and the renders are tiny.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeFrames, frameAt } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { cleanEnv, installGlobal, installLocal, pack, ROOT, run, startServe, type Packed } from './packed-montage.ts';

const WORK = mkdtempSync(join(tmpdir(), 'montage-pkg-'));
const APP = join(WORK, 'app');
const BIN = join(APP, 'node_modules/.bin/montage');
const INSTALLED = join(APP, 'node_modules/montage');
let packed: Packed;
const children: ChildProcess[] = [];

before(async () => {
  packed = await pack(WORK);
  await installLocal(packed.tarball, APP);
});
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(WORK, { recursive: true, force: true });
});

/** 160×90, 1 s at 10 fps: a red background with a white box in the middle. */
const TINY = {
  output: { format: 'mp4', width: 160, height: 90, fps: 10 },
  background: '#c81e1e',
  tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 40, height: 30, fill: '#ffffff' }, start: 0, length: 1 }] }],
};

const expectTinyRender = async (file: string) => {
  const frames = await decodeFrames(file);
  assert.equal(frames.length, 10, 'frames');
  const f = frameAt(frames, 10, 0.5);
  expectColour(f, 10, 10, '#c81e1e', 'the background');
  expectColour(f, 80, 45, '#ffffff', 'the box in the middle');
};

describe('the packed file list', () => {
  it('holds the compiled code, the client\'s types, the schema and the Studio, and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of ['bin/montage', 'dist/cli/main.js', 'dist/http/montage-client.js', 'dist/http/montage-client.d.ts',
      'dist/composition/composition-check.js', 'schema/composition.schema.json', 'studio/dist/index.html', 'package.json', 'README.md']) {
      assert.ok(paths.includes(p), `${p} is packed`);
    }
    const allowed = /^(bin\/montage|dist\/.+\.(js|d\.ts)|schema\/[^/]+\.json|studio\/dist\/.+|docs\/(adr\/)?[^/]+\.(md|png)|package\.json|README\.md|LICENSE)$/;
    assert.deepEqual(paths.filter((p) => !allowed.test(p)), [], 'files outside the allowed set');
    const forbidden = /(^|\/)(node_modules|test|tests|bench|src|\.work|examples)\/|\.test\.|\.contract\.|\.suite\.|(^|\/)\.|\.ts$(?<!\.d\.ts)|-test-|(^|\/)test-/;
    assert.deepEqual(paths.filter((p) => forbidden.test(p)), [], 'tests, bench data, sources, node_modules or dotfiles');
    assert.ok(packed.unpackedSize < 5 << 20, `unpacked ${packed.unpackedSize} bytes`);
  });

  it('every relative import in dist/ names a packed file', () => {
    const packedSet = new Set(packed.files.map((f) => f.path));
    const missing: string[] = [];
    for (const f of packed.files.filter((x) => x.path.endsWith('.js'))) {
      const text = readFileSync(join(INSTALLED, f.path), 'utf8');
      for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = relative(INSTALLED, resolve(INSTALLED, dirname(f.path), m[1]!));
        if (!packedSet.has(target)) missing.push(`${f.path} → ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('installed from the tarball into an empty folder', () => {
  it('has no dev dependency and no TypeScript source', () => {
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vite']) assert.ok(!existsSync(join(APP, 'node_modules', dev)), `${dev} is not installed`);
    assert.ok(!existsSync(join(INSTALLED, 'src')), 'no src/');
  });

  it('montage --version prints the package version', async () => {
    const r = await run(BIN, ['--version'], APP);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), packed.version);
  });

  it('montage validate: a valid example, and an invalid composition with its JSON Pointer', async () => {
    copyFileSync(join(ROOT, 'examples/title-card.json'), join(APP, 'title-card.json'));
    const ok = await run(BIN, ['validate', 'title-card.json'], APP);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Valid: mp4, 1280×720, 30 fps/);
    writeFileSync(join(APP, 'bad.json'), JSON.stringify({ ...TINY, output: { ...TINY.output, fps: 'fast' } }));
    const bad = await run(BIN, ['validate', 'bad.json'], APP);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\/output\/fps/);
  });

  it('montage render: a small composition, decoded', async () => {
    writeFileSync(join(APP, 'tiny.json'), JSON.stringify(TINY));
    const r = await run(BIN, ['render', 'tiny.json', '-o', 'tiny.mp4'], APP);
    assert.equal(r.code, 0, r.stderr);
    await expectTinyRender(join(APP, 'tiny.mp4'));
  });

  it('npx montage render, from the project folder', async () => {
    writeFileSync(join(APP, 'tiny.json'), JSON.stringify(TINY));
    const r = await run('npx', ['--no-install', 'montage', 'render', 'tiny.json', '-o', 'npx.mp4'], APP);
    assert.equal(r.code, 0, r.stderr);
    await expectTinyRender(join(APP, 'npx.mp4'));
  });

  it('montage/client: typed for tsc, and from plain Node against montage serve (readyz, a render, its output, the Studio)', async () => {
    // The declarations: a TypeScript user's file type-checks against the installed package.
    writeFileSync(join(APP, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['typed.ts'] }));
    writeFileSync(join(APP, 'typed.ts'), [
      "import { MontageClient, type MontageClientOptions } from 'montage/client';",
      "const o: MontageClientOptions = { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' };",
      'const c = new MontageClient(o);',
      "export const p: Promise<{ id: string }> = c.getRender('r');",
      "// @ts-expect-error: a render id is a string",
      'void c.getRender(42);',
    ].join('\n'));
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], APP);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);

    const dataDir = join(APP, 'data');
    const key = await run(BIN, ['keys', 'create', '--tenant', 'pkg', '--json'], APP, { MONTAGE_DATA_DIR: dataDir });
    assert.equal(key.code, 0, key.stderr);
    const apiKey = (JSON.parse(key.stdout) as { key: string }).key;
    const { proc, url } = await startServe(BIN, APP, { MONTAGE_DATA_DIR: dataDir });
    children.push(proc);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);
    const studio = await fetch(`${url}/`);
    assert.equal(studio.status, 200);
    assert.match(await studio.text(), /<script[^>]+src="[^"]*assets\/index-/);

    writeFileSync(join(APP, 'use-client.js'), `
      import { writeFileSync } from 'node:fs';
      import { MontageClient } from 'montage/client';
      const client = new MontageClient({ baseUrl: process.env.URL, apiKey: process.env.KEY });
      const { id } = await client.createRender({ composition: JSON.parse(process.env.COMPOSITION) });
      let r;
      for (let i = 0; i < 600; i++) {
        r = await client.getRender(id);
        if (r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled') break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      if (r.status === 'succeeded') writeFileSync('api.mp4', await client.downloadOutput(id));
      console.log(JSON.stringify({ status: r.status }));
    `);
    const c = await run(process.execPath, ['use-client.js'], APP, { URL: url, KEY: apiKey, COMPOSITION: JSON.stringify(TINY) });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout), { status: 'succeeded' });
    await expectTinyRender(join(APP, 'api.mp4'));
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  });
});

describe('installed globally (npm install -g into a temporary prefix)', () => {
  it('montage on PATH: --version, and validate from another folder', async () => {
    const bin = await installGlobal(packed.tarball, join(WORK, 'global'));
    assert.ok(statSync(bin).isFile() || existsSync(bin));
    const env = { PATH: `${dirname(bin)}:${cleanEnv().PATH}` };
    const v = await run('montage', ['--version'], WORK, env);
    assert.equal(v.code, 0, v.stderr);
    assert.equal(v.stdout.trim(), packed.version);
    const r = await run('montage', ['validate', join(ROOT, 'examples/title-card.json')], WORK, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Valid: mp4/);
    assert.deepEqual(readdirSync(join(WORK, 'global/lib/node_modules')), ['montage']);
  });
});
