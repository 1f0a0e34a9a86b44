/**
 * The Dockerfile and docker-compose.yml, as text: the Dockerfile's instructions and the files it
 * copies. The image itself is built and run by `npm run test:image` (test/image), with buildah;
 * the build it uses (dist/) is packed, installed and run by test/package.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LIVENESS_PATH } from '../../src/config/deploy-constants.ts';
import { checkRole, configOf, readYaml, ROOT, seconds } from './deploy-files.ts';

type Instruction = { op: string; args: string; stage: number };

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfile(): Instruction[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  let stage = -1;
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    if (op!.toUpperCase() === 'FROM') stage += 1;
    return { op: op!.toUpperCase(), args: rest.join(' '), stage };
  });
}

describe('Dockerfile', () => {
  const ins = dockerfile();
  const last = Math.max(...ins.map((i) => i.stage));
  const final = ins.filter((i) => i.stage === last);
  const one = (op: string) => {
    const found = final.filter((i) => i.op === op);
    assert.ok(found.length > 0, `the runtime stage has no ${op}`);
    return found.at(-1)!.args;
  };

  it('is multi-stage, and the runtime stage is node:20-bookworm-slim with Debian ffmpeg', () => {
    assert.ok(last >= 1, 'more than one stage');
    const args = Object.fromEntries(ins.filter((i) => i.op === 'ARG').map((i) => i.args.split('=')));
    const from = one('FROM').split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, v) => args[v]);
    assert.equal(from, 'node:20-bookworm-slim');
    assert.match(final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' '), /apt-get install[^&]*\bffmpeg\b/);
    // Dev dependencies stay out: the modules come from the --omit=dev stage.
    const deps = ins.filter((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args) && /--omit=dev/.test(i.args));
    assert.equal(deps.length, 1);
    assert.ok(final.some((i) => i.op === 'COPY' && i.args.includes(`--from=deps`) && i.args.includes('node_modules')));
  });

  it('runs as a non-root uid, with ENTRYPOINT ["montage"] and a HEALTHCHECK on /healthz', () => {
    const user = one('USER').split(':')[0]!;
    assert.ok(user !== 'root' && user !== '0', `USER ${user}`);
    assert.match(user, /^\d+$/, 'numeric, so Kubernetes can verify runAsNonRoot');
    assert.deepEqual(JSON.parse(one('ENTRYPOINT')), ['montage']);
    const hc = one('HEALTHCHECK');
    assert.ok(hc.includes(LIVENESS_PATH), hc);
    assert.ok(hc.includes('MONTAGE_PORT'), 'the check follows MONTAGE_PORT');
    assert.equal(configOf({ MONTAGE_DATA_DIR: '/data' }).dataDir, '/data');
    assert.match(one('ENV'), /MONTAGE_DATA_DIR=\/data/);
    assert.match(final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' '), /chown 1000:1000 \/data/);
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const i of ins.filter((x) => x.op === 'COPY' && !x.args.includes('--from='))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) {
        assert.ok(existsSync(join(ROOT, src)), `COPY ${src}: no such file`);
        assert.ok(!ignored.some((g) => src === g || src.startsWith(`${g}/`)), `COPY ${src} is excluded by .dockerignore`);
      }
    }
  });

  it('the montage wrapper runs the compiled CLI under tini as PID 1', () => {
    const wrapper = join(ROOT, 'deploy/docker/montage');
    assert.ok(statSync(wrapper).mode & 0o111, 'executable');
    const text = readFileSync(wrapper, 'utf8');
    assert.match(text, /exec \/usr\/bin\/tini -- node .*\/app\/dist\/cli\/main\.js "\$@"/);
    assert.doesNotMatch(text, /tini -g/, 'tini must not signal the whole group: ffmpeg would die before the drain');
    assert.match(final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' '), /apt-get install[^&]*\btini\b/);
    const build = ins.filter((i) => i.stage < last && i.op === 'RUN').map((i) => i.args).join(' ');
    assert.match(build, /install -m 0755 deploy\/docker\/montage \/out\/deploy\/montage/, 'the wrapper goes to /app/deploy/montage');
    assert.match(final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' '), /ln -s \/app\/deploy\/montage \/usr\/local\/bin\/montage/, 'the wrapper is `montage` on PATH');
  });

  it('builds the package\'s dist/ (scripts/build-dist.mjs) and runs it, with ffmpeg and the Noto fonts', () => {
    // The build itself is run for real by test/package (npm pack runs it) and test/image (this
    // Dockerfile, built with buildah); here only that the image uses that same build.
    const build = ins.filter((i) => i.stage < last && i.op === 'RUN').map((i) => i.args).join(' ');
    assert.match(build, /node scripts\/build-dist\.mjs/);
    assert.match(build, /cp -a package\.json schema dist \/out\/ && cp -a studio\/dist \/out\/studio\//, 'the build lays out /app in /out');
    assert.ok(final.some((i) => i.op === 'COPY' && /--from=build \/out \.\/$/.test(i.args)), 'the runtime copies /out');
    const apt = final.filter((i) => i.op === 'RUN').map((i) => i.args).join(' ');
    for (const pkg of ['ffmpeg', 'fonts-noto-core', 'fonts-noto-cjk', 'fonts-noto-color-emoji']) assert.match(apt, new RegExp(`apt-get install[^&]*\\b${pkg}\\b`), pkg);
    assert.match(readFileSync(join(ROOT, 'deploy/docker/montage'), 'utf8'), /node \/app\/dist\/cli\/main\.js "\$@"/);
  });
});

describe('docker-compose.yml', () => {
  const compose = readYaml(join(ROOT, 'docker-compose.yml'));
  const services = compose.services as Record<string, any>;
  const montage = Object.entries(services).filter(([, s]) => s.build !== undefined || String(s.image ?? '').includes('montage'));

  it('runs 2 api and 2 worker processes, a migration first, each command a role of the CLI', (t) => {
    const replicas = (s: any) => s.deploy?.replicas ?? 1;
    const count = (role: string) => montage.filter(([, s]) => s.command?.[0] === role).reduce((n, [, s]) => n + replicas(s), 0);
    assert.equal(count('api'), 2);
    assert.equal(count('worker'), 2);
    assert.equal(count('migrate'), 1);
    for (const [name, s] of montage) {
      assert.ok(Array.isArray(s.command) && s.command.length === 1, `${name}: command is [role]`);
      checkRole(t, s.command[0], `compose service ${name}`);
      assert.equal(s.entrypoint, undefined, `${name} keeps the image's ENTRYPOINT`);
    }
  });

  it('gives every Montage container a read-only root, dropped capabilities, a valid config and a stop grace beyond the drain', () => {
    for (const [name, s] of montage) {
      assert.equal(s.read_only, true, name);
      assert.ok(s.tmpfs?.some((x: string) => x.startsWith('/tmp')), `${name}: /tmp`);
      assert.deepEqual(s.cap_drop, ['ALL']);
      const config = configOf(s.environment);
      assert.ok(config.databaseUrl && config.redisUrl && config.storage && config.s3Endpoint, `${name}: scale-out stores`);
      assert.equal(config.dataDir, '/data', `${name}: the image's data dir`);
      assert.ok(seconds(s.stop_grace_period) > config.shutdownGraceMs / 1000, `${name}: stop_grace_period ${s.stop_grace_period}`);
    }
  });

  it('runs Redis with AOF and noeviction, MinIO with the bucket MONTAGE_STORAGE names, Postgres with the DATABASE_URL database', () => {
    const redisArgs = (services.redis.command as string[]).join(' ');
    assert.match(redisArgs, /--appendonly yes/);
    assert.match(redisArgs, /--maxmemory-policy noeviction/);
    const env = montage[0]![1].environment;
    const bucket = /^s3:\/\/([^/]+)/.exec(env.MONTAGE_STORAGE)![1];
    assert.match(services['minio-init'].command.join(' '), new RegExp(`mc mb --ignore-existing local/${bucket}\\b`));
    const db = new URL(env.DATABASE_URL);
    assert.equal(services.postgres.environment.POSTGRES_DB, db.pathname.slice(1));
    assert.equal(services.postgres.environment.POSTGRES_PASSWORD, decodeURIComponent(db.password));
    assert.equal(new URL(env.REDIS_URL).hostname, 'redis');
    // The presigned output URLs name S3_ENDPOINT's host: MinIO answers to it inside the network.
    assert.ok(services.minio.networks.default.aliases.includes(new URL(env.S3_ENDPOINT).hostname));
  });

  it('balances every api service through nginx, which streams SSE and uploads', () => {
    const conf = readFileSync(join(ROOT, 'deploy/compose/nginx.conf'), 'utf8');
    const upstreams = [...conf.matchAll(/server (\S+):(\d+)/g)].map((m) => [m[1], Number(m[2])]);
    const apis = montage.filter(([, s]) => s.command[0] === 'api');
    assert.deepEqual(upstreams.map(([h]) => h).sort(), apis.map(([n]) => n).sort());
    for (const [, port] of upstreams) assert.equal(port, configOf(apis[0]![1].environment).port);
    assert.match(conf, /proxy_buffering off/);
    assert.match(conf, /proxy_request_buffering off/);
    const lb = services.lb;
    assert.ok(lb.volumes.some((v: string) => v.startsWith('./deploy/compose/nginx.conf:')));
    for (const [name] of apis) assert.equal(lb.depends_on[name].condition, 'service_healthy');
  });
});

describe('.github/workflows/ci.yml', () => {
  const ci = readYaml(join(ROOT, '.github/workflows/ci.yml'));
  const steps = (job: string) => ci.jobs[job].steps as any[];
  const runs = (job: string) => steps(job).map((s) => s.run ?? '').join('\n');

  it('lints and typechecks, then tests against PostgreSQL and Redis service containers with Debian ffmpeg', () => {
    assert.match(runs('lint'), /npm run typecheck/);
    assert.ok(steps('lint').some((s) => String(s.uses).startsWith('hadolint/')));
    const services = ci.jobs.test.services;
    assert.ok(services.postgres.ports.includes('5432:5432') && services.redis.ports.includes('6379:6379'));
    assert.match(runs('test'), /apt-get install[^\n]*\bffmpeg\b/);
    assert.match(runs('test'), /npm test/);
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    for (const s of ['test', 'typecheck']) assert.ok(scripts[s], `package.json has no "${s}" script`);
  });

  it('builds the image on every run and pushes it only for version tags', () => {
    assert.deepEqual(ci.jobs.image.needs.sort(), ['lint', 'test']);
    assert.ok(ci.on.push.tags.some((t: string) => t.startsWith('v')));
    for (const s of steps('image')) {
      const pushes = s.with?.push === true || String(s.uses).startsWith('docker/login-action');
      if (pushes) assert.equal(s.if, "startsWith(github.ref, 'refs/tags/v')", `${s.name} must run on tags only`);
    }
    assert.ok(steps('image').some((s) => s.with?.push === true && String(s.with.tags).includes('steps.meta.outputs.tags')));
    assert.match(runs('image'), /--read-only/);
  });
});
