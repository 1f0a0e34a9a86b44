// The typed client as users get it: `npm pack` of this package (prepack builds dist/ from
// tsconfig.client.json), unpacked into a scratch project's node_modules, then
// `import { MontageClient } from 'montage/client'` from plain Node (no tsx) against a real
// `montage serve`, and a TypeScript file of that project type-checked against the packed
// declarations. The pack runs in a staging copy so that no test writes into this checkout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../main/start-test-service.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const NODE_MODULES = join(ROOT, 'node_modules');

let dir: string;
let consumer: string;
let svc: TestService | undefined;
let key: string;
let skip: string | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'montage-pkg-'));
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.client.json', 'README.md']) cpSync(join(ROOT, f), join(stage, f));
  // What `prepack` (npm run build: scripts/build-dist.mjs) reads besides src/.
  for (const d of ['scripts', 'schema', 'bin']) cpSync(join(ROOT, d), join(stage, d), { recursive: true });
  cpSync(join(ROOT, 'src'), join(stage, 'src'), { recursive: true });
  symlinkSync(NODE_MODULES, join(stage, 'node_modules'));
  // --silent: prepack's own output would otherwise precede the JSON on stdout.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--silent', '--json', '--pack-destination', dir], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as { filename: string; files: { path: string }[] }[];
  assert.ok(packed[0]!.files.some((f) => f.path === 'dist/http/montage-client.js'), 'the tarball carries the built client');

  consumer = join(dir, 'consumer');
  mkdirSync(join(consumer, 'node_modules', 'montage'), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0]!.filename), '-C', join(consumer, 'node_modules', 'montage'), '--strip-components=1']);
  // The declarations name TypeBox's types (a dependency of the package, installed with it).
  mkdirSync(join(consumer, 'node_modules', '@sinclair'));
  symlinkSync(join(NODE_MODULES, '@sinclair', 'typebox'), join(consumer, 'node_modules', '@sinclair', 'typebox'));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));

  const r = await loadRealEngine();
  if (!('engine' in r)) { skip = r.skip; return; }
  svc = await startTestService({ engine: r.engine, env: { MONTAGE_WORKER_CONCURRENCY: '0' } });
  key = (await svc.createKey('package-user')).key;
});

after(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the package's typed client", () => {
  it("`import { MontageClient } from 'montage/client'` works from plain Node against a running service", async (t) => {
    if (skip) return t.skip(skip);
    writeFileSync(join(consumer, 'use-client.mjs'), `
      import { MontageClient, MontageApiError } from 'montage/client';
      const montage = new MontageClient({ baseUrl: process.argv[2], apiKey: process.argv[3] });
      const composition = { output: { format: 'mp4', width: 320, height: 180, fps: 25 },
        tracks: [{ clips: [{ asset: { type: 'color', color: '#112233' }, start: 0, length: 2 }] }] };
      const checked = await montage.validate({ composition });
      const render = await montage.createRender({ composition }, { idempotencyKey: 'consumer-1' });
      const again = await montage.getRender(render.id);
      let missing;
      try { await montage.getRender('rnd_nope'); } catch (e) { missing = e instanceof MontageApiError ? [e.status, e.code] : String(e); }
      console.log(JSON.stringify({ duration: checked.duration, status: again.status, same: again.id === render.id, missing }));
    `);
    // Asynchronously: the service answers from this process's event loop.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['use-client.mjs', svc!.url, key], { cwd: consumer, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { duration: 2, status: 'queued', same: true, missing: [404, 'MONTAGE_E_NOT_FOUND'] });
  });

  it('its declarations type-check a TypeScript user of the package, and catch a misuse', () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] , lib: ['ES2022', 'DOM'] },
      files: ['use-client.ts'],
    }));
    writeFileSync(join(consumer, 'use-client.ts'), `
      import { MontageClient, MontageApiError, type Page } from 'montage/client';
      const montage = new MontageClient({ baseUrl: 'http://localhost:8080', apiKey: 'mk_x' });
      export async function newest(): Promise<string | undefined> {
        const page: Page<{ id: string }> = await montage.listRenders({ status: 'succeeded', limit: 5 });
        const composition: Parameters<MontageClient['createRender']>[0]['composition'] = {
          output: { format: 'mp4', width: 320, height: 180 },
          tracks: [{ clips: [{ asset: { type: 'color', color: '#112233' }, start: 0, length: 2 }] }],
        };
        const r = await montage.createRender({ composition, priority: 'high' });
        const status: 'queued' | 'preparing' | 'rendering' | 'finalizing' | 'succeeded' | 'failed' | 'canceled' = r.status;
        // @ts-expect-error: not a render status
        await montage.listRenders({ status: 'done' });
        // @ts-expect-error: priority is low, normal or high
        await montage.createRender({ composition, priority: 'urgent' });
        return page.data[0]?.id ?? (status === 'failed' ? undefined : r.id);
      }
      export const isApiError = (e: unknown): e is MontageApiError => e instanceof MontageApiError;
    `);
    try {
      execFileSync(process.execPath, [join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: consumer, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      assert.fail(`tsc failed in the consumer project:\n${err.stdout}${err.stderr}`);
    }
  });

  it('the README shows the import users write', () => {
    assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /from 'montage\/client'/);
  });
});
