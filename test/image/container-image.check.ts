/**
 * `npm run test:image`: the container image, really built from the repository's Dockerfile and
 * really run (issue 15). Not part of `npm test` (a cold build takes many minutes: debootstrap, apt,
 * vfs copies of every layer); .ci/run runs it after the main suite where the machine can.
 *
 * - A local base image stands in for node:20-bookworm-slim, which cannot be pulled here:
 *   deploy/docker/build-base.sh (debootstrap --variant=minbase bookworm + this machine's Node 20).
 * - `buildah bud --layers` builds the Dockerfile with NODE_IMAGE set to it; the layers are cached in
 *   buildah's store, so a second run rebuilds only what changed.
 * - One container of the image runs every role with `buildah run --isolation chroot` on the host's
 *   network, as uid 1000, with the root filesystem's directories bind-mounted read-only over
 *   themselves and only /data and /tmp writable (host folders); afterwards no file outside /data
 *   and /tmp may have changed in the container's root.
 * - serve: /readyz, a render through the API, its output downloaded and decoded, the Studio page.
 * - api + worker: against this machine's PostgreSQL and Redis and an s3rver, `migrate` first, one
 *   render submitted to the api and rendered by the worker, its output downloaded and decoded.
 *
 * Needs root, buildah and debootstrap (apt-get install buildah debootstrap), PostgreSQL and Redis.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MontageClient } from '../../src/http/montage-client.ts';
import { startScaleOutStores, type ScaleOutStores } from '../../src/main/test-service-stores.ts';
import { decodeFrames, frameAt } from '../support/decoded-pictures.ts';
import { expectColour } from '../support/picture-asserts.ts';
import { buildah, freePort, runIn, startRole, type Role, type RunOptions } from './buildah.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IMAGE = process.env.MONTAGE_TEST_IMAGE ?? 'localhost/montage:test';
const WORK = mkdtempSync(join(tmpdir(), 'montage-image-'));
const timings: Record<string, number> = {};
let ctr = '';
let mnt = '';
/** Every path of the container's root but /data, /tmp and the kernel's, with its size and times. */
let rootBefore = new Map<string, string>();
const snapshot = (root: string): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const r = `${rel}/${name}`;
      if (['/data', '/tmp', '/proc', '/sys', '/dev', '/run'].includes(r)) continue;
      const s = lstatSync(join(dir, name), { throwIfNoEntry: false });
      if (!s) continue;
      out.set(r, `${s.size} ${s.mtimeMs} ${s.mode}`);
      if (s.isDirectory()) walk(join(dir, name), r);
    }
  };
  walk(root, '');
  return out;
};
const roles: Role[] = [];

const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const t = Date.now();
  try { return await fn(); } finally { timings[name] = Math.round((Date.now() - t) / 100) / 10; }
};

/** The top-level folders of the image's root that hold files (the rest are symlinks or empty mount points). */
const READ_ONLY = ['app', 'etc', 'usr', 'var', 'opt', 'root', 'home', 'srv'];

/** uid 1000, a read-only root (its folders bound read-only over themselves), writable /data and /tmp. */
const asDeployed = (data: string, env: Record<string, string> = {}): RunOptions => {
  const tmp = mkdtempSync(join(WORK, 'tmp-'));
  chmodSync(tmp, 0o1777);
  return {
    user: '1000:1000', env,
    volumes: [...READ_ONLY.map((d) => `${join(mnt, d)}:/${d}:ro`), `${data}:/data`, `${tmp}:/tmp`],
  };
};

const dataDir = (name: string) => {
  const d = join(WORK, name);
  mkdirSync(d);
  chmodSync(d, 0o777);
  return d;
};

/** 160×90, 1 s at 10 fps: a red background with a white box in the middle. */
const TINY = {
  output: { format: 'mp4', width: 160, height: 90, fps: 10 },
  background: '#c81e1e',
  tracks: [{ clips: [{ asset: { type: 'shape', shape: 'rectangle', width: 40, height: 30, fill: '#ffffff' }, start: 0, length: 1 }] }],
};

const renderThrough = async (client: MontageClient, file: string) => {
  const { id } = await client.createRender({ composition: TINY as never });
  let status = '';
  for (let i = 0; i < 1200 && !['succeeded', 'failed', 'cancelled'].includes(status); i++) {
    if (i) await new Promise((r) => setTimeout(r, 250));
    status = (await client.getRender(id)).status;
  }
  assert.equal(status, 'succeeded');
  writeFileSync(file, await client.downloadOutput(id));
  const frames = await decodeFrames(file);
  assert.equal(frames.length, 10);
  expectColour(frameAt(frames, 10, 0.5), 10, 10, '#c81e1e', 'the background');
  expectColour(frameAt(frames, 10, 0.5), 80, 45, '#ffffff', 'the box');
};

const build = async () => {
  const base = (await timed('base image (build-base.sh)', async () =>
    execFileSync(join(ROOT, 'deploy/docker/build-base.sh'), { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim())).split('\n').at(-1)!;
  const out = await timed('image (buildah bud --layers)', () => buildah(['bud', '--isolation', 'chroot', '--layers', '--format', 'docker',
    '--build-arg', `NODE_IMAGE=${base}`, '-t', IMAGE, ROOT], 3_600_000));
  // Which steps came from buildah's cache and which ran (a warm run should rebuild only the code's
  // steps); the whole build output is kept in test-artifacts/image/build.log.
  mkdirSync(join(ROOT, 'test-artifacts/image'), { recursive: true });
  writeFileSync(join(ROOT, 'test-artifacts/image/build.log'), out);
  const steps = out.split('\n').reduce<{ step: string; cached: boolean }[]>((acc, line) => {
    // FROM is never reported as cached: only the steps that build something count.
    if (/^(\[\d+\/\d+\] )?STEP \d+\/\d+: (?!FROM )/.test(line)) acc.push({ step: line.slice(0, 90), cached: false });
    else if (/^--> Using cache /.test(line) && acc.length) acc.at(-1)!.cached = true;
    return acc;
  }, []);
  console.log(`image build: ${steps.filter((s) => s.cached).length} of ${steps.length} steps from cache; run: ${JSON.stringify(steps.filter((s) => !s.cached).map((s) => s.step))}`);
};

before(async () => {
  // MONTAGE_TEST_IMAGE_PREBUILT=1: run the roles of an image built before (IMAGE), without building.
  if (process.env.MONTAGE_TEST_IMAGE_PREBUILT !== '1') await build();
  ctr = await timed('container (buildah from)', async () => (await buildah(['from', '--name', `montage-test-${process.pid}`, IMAGE])).trim());
  mnt = (await buildah(['mount', ctr])).trim();
  rootBefore = snapshot(mnt);
});


after(async () => {
  for (const r of roles) await r.stop().catch(() => {});
  if (ctr) await buildah(['rm', ctr]).catch(() => {});
  rmSync(WORK, { recursive: true, force: true });
  console.log(`image test timings (s): ${JSON.stringify(timings)}`);
});

describe('the image', () => {
  it('runs as uid 1000 with ENTRYPOINT montage, and has ffmpeg, tini and the Noto fonts', async () => {
    const config = JSON.parse(await buildah(['inspect', '--type', 'image', IMAGE])) as { Docker: { config: { User: string; Entrypoint: string[]; Cmd: string[]; Healthcheck?: { Test: string[] } } } };
    const c = config.Docker.config;
    assert.equal(c.User, '1000:1000');
    assert.deepEqual(c.Entrypoint, ['montage']);
    assert.deepEqual(c.Cmd, ['serve']);
    assert.ok(c.Healthcheck?.Test.join(' ').includes('/healthz'), 'HEALTHCHECK kept (docker format)');
    const r = await runIn(ctr, ['sh', '-c', 'id -u; montage --version; ffmpeg -hide_banner -version | head -n1; tini --version; '
      + 'dpkg-query -W -f "\\${Package}\\n" fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji; '
      + 'ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf; '
      + 'test ! -e /app/node_modules/tsx && test ! -e /app/node_modules/typescript && echo no-dev-deps'], { user: '1000:1000' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '1000');
    assert.equal(lines[1], JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: ROOT }).toString()));
    assert.match(lines[2]!, /^ffmpeg version 5\.1/);
    assert.match(r.stdout, /tini version/);
    for (const p of ['fonts-noto-core', 'fonts-noto-cjk', 'fonts-noto-color-emoji', 'NotoSansCJK-Regular.ttc', 'NotoColorEmoji.ttf', 'no-dev-deps']) assert.ok(r.stdout.includes(p), p);
  });

  it('cannot write to its root filesystem as run here (uid 1000, read-only binds), only to /data and /tmp', async () => {
    const data = dataDir('probe-data');
    const r = await runIn(ctr, ['sh', '-c', 'for d in /app /usr/local/bin /etc /var/tmp /; do touch "$d/probe" 2>/dev/null && echo "wrote $d"; done; '
      + 'touch /data/probe /tmp/probe && echo data-and-tmp-ok'], asDeployed(data));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'data-and-tmp-ok');
  });
});

describe('role serve', () => {
  it('answers /readyz, renders a composition through the API and serves the output and the Studio', async () => {
    const data = dataDir('serve-data');
    const port = await freePort();
    const key = await runIn(ctr, ['montage', 'keys', 'create', '--tenant', 'image', '--json'], asDeployed(data));
    assert.equal(key.code, 0, key.stderr);
    const serve = await timed('serve ready', () => startRole(ctr, 'serve', asDeployed(data, { MONTAGE_PORT: String(port), MONTAGE_HOST: '127.0.0.1' })));
    roles.push(serve);
    assert.equal(serve.url, `http://127.0.0.1:${port}`);
    const ready = await fetch(`${serve.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    const studio = await fetch(`${serve.url}/`);
    assert.equal(studio.status, 200);
    assert.match(await studio.text(), /assets\/index-/);
    const client = new MontageClient({ baseUrl: serve.url, apiKey: (JSON.parse(key.stdout) as { key: string }).key });
    await timed('serve render', () => renderThrough(client, join(WORK, 'serve.mp4')));
    assert.equal(await serve.stop(), 0, serve.log().slice(-2000));
    roles.splice(roles.indexOf(serve), 1);
    // Seen from inside: buildah mounts the image's VOLUME /data itself (a folder of the container's,
    // kept between runs), over the host folder given with --volume.
    const ls = await runIn(ctr, ['find', '/data', '-type', 'f'], asDeployed(data));
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^\/data\/montage\.db$/m, ls.stdout);
    assert.match(ls.stdout, /\.mp4$/m, `the output is stored under /data: ${ls.stdout}`);
  });
});

describe('roles api and worker, on PostgreSQL, Redis and s3rver', () => {
  let stores: ScaleOutStores | undefined;
  after(async () => { await stores?.close(); });

  it('migrate, then one composition submitted to the api and rendered by the worker', async () => {
    stores = await startScaleOutStores();
    const env: Record<string, string> = {
      ...(stores.env as Record<string, string>),
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY!, AWS_REGION: 'us-east-1',
      MONTAGE_HOST: '127.0.0.1',
    };
    const data = dataDir('scale-data');
    const migrate = await runIn(ctr, ['montage', 'migrate'], asDeployed(data, env));
    assert.equal(migrate.code, 0, migrate.stderr + migrate.stdout);
    const key = await runIn(ctr, ['montage', 'keys', 'create', '--tenant', 'image', '--json'], asDeployed(data, env));
    assert.equal(key.code, 0, key.stderr);
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const api = await timed('api ready', () => startRole(ctr, 'api', asDeployed(data, { ...env, MONTAGE_PORT: String(apiPort) })));
    roles.push(api);
    const worker = await timed('worker ready', () => startRole(ctr, 'worker', asDeployed(dataDir('worker-data'), { ...env, MONTAGE_PORT: String(workerPort) })));
    roles.push(worker);
    assert.equal((await fetch(`${api.url}/readyz`)).status, 200);
    const client = new MontageClient({ baseUrl: api.url, apiKey: (JSON.parse(key.stdout) as { key: string }).key });
    await timed('api + worker render', () => renderThrough(client, join(WORK, 'scale.mp4')));
    assert.match(worker.log(), /"role":"worker"/);
    for (const r of [api, worker]) {
      assert.equal(await r.stop(), 0, r.log().slice(-2000));
      roles.splice(roles.indexOf(r), 1);
    }
  });

  it('wrote nothing into the container\'s root outside /data and /tmp', () => {
    const now = snapshot(mnt);
    const changed = [...now].filter(([p, v]) => rootBefore.get(p) !== v).map(([p]) => p);
    const removed = [...rootBefore.keys()].filter((p) => !now.has(p));
    assert.ok(rootBefore.size > 10_000, `${rootBefore.size} paths seen`);
    assert.deepEqual({ changed, removed }, { changed: [], removed: [] });
  });
});
