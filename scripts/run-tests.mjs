#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (through tsx for TypeScript).
// Node 20's --test takes no globs, so the files are found here. Extra arguments are passed to node
// (e.g. a file filter: `npm test -- src/composition`, or `--test-concurrency=1`).
//
// Several files at a time: most of the suite waits (on servers it starts, on ffmpeg, on timers, on
// npm), so one file at a time (Node 20's default on 2 cores: available parallelism - 1) leaves the
// CPU mostly idle. MONTAGE_TEST_CONCURRENCY (default 4) sets how many files run at once. Every file
// is safe to run beside any other: each makes its own temporary folders, listens on port 0, and gets
// a PostgreSQL schema or database, a Redis key prefix and an s3rver bucket of its own
// (src/adapters/postgres-test-db.ts, redis-test-keys.ts, src/main/test-service-stores.ts); the one
// fixed Redis place (test/deploy/keda-queue-key.test.ts: the queue's default prefix in database 13)
// is used by that file alone. A new test must keep it so.
//
// The slowest files start first (SLOW_FIRST, from docs/benchmarks.md's "Test suite" figures), so that
// none of them begins near the end and keeps the run waiting for it alone; the rest follow in path
// order. Output stays in file order either way (node reports each file's tests once it is its turn).
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));

/** Started first: each takes about a minute or more on the 2-core machine, one file at a time (slowest first). */
const SLOW_FIRST = [
  'test/adversarial/chaos.test.ts',
  'test/cluster/worker-kill.test.ts',
  'test/cli/render-command.test.ts',
  'test/cli/render-cache.test.ts',
  'test/package/npm-package.test.ts',
  'test/cli/validate-command.test.ts',
  'test/render/outputs.test.ts',
  'test/adversarial/load.test.ts',
  'test/adversarial/store-outage.test.ts',
  'test/adversarial/chaos-chunked.test.ts',
  'test/cluster/round-robin.test.ts',
  'test/cluster/chunked-render.test.ts',
  'test/render/media-outputs.test.ts',
  'test/cluster/redis-restart.test.ts',
  // Many sequential server tests in one file: 2–4 minutes beside three others.
  'src/main/serve.test.ts',
  'src/http/client-package.test.ts',
  'src/http/api-scale-out.test.ts',
];

/**
 * Run after the others, one at a time: files whose assertions bound wall-clock time tightly enough
 * that three busy neighbours on 2 cores can break them (hostile-media: each refusal within 5 s).
 */
const ALONE = [
  'test/adversarial/hostile-media.test.ts',
];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const rank = (f) => { const i = SLOW_FIRST.indexOf(f); return i < 0 ? SLOW_FIRST.length : i; };
const files = ['src', 'test'].flatMap((d) => { try { return walk(join(root, d), []); } catch { return []; } })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) { console.error('no test files matched'); process.exit(1); }
const concurrency = process.env.MONTAGE_TEST_CONCURRENCY ?? String(Math.max(4, availableParallelism()));
const concurrencyFlag = flags.some((f) => f.startsWith('--test-concurrency')) ? [] : [`--test-concurrency=${concurrency}`];
const together = files.filter((f) => !ALONE.includes(f));
const alone = files.filter((f) => ALONE.includes(f));

const countsDir = mkdtempSync(join(tmpdir(), 'montage-tests-'));
let runs = 0;
const run = (list, extra) => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts/test-counts-reporter.mjs')}`, `--test-reporter-destination=${join(countsDir, `${++runs}.json`)}`, ...extra, ...flags, ...list], {
  cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', DISABLE_SYSTEM_FONTS_LOAD: process.env.DISABLE_SYSTEM_FONTS_LOAD ?? '1' },
}).status ?? 1;
const started = Date.now();
let status = together.length ? run(together, concurrencyFlag) : 0;
if (alone.length) {
  const s = run(alone, ['--test-concurrency=1']);
  if (status === 0) status = s;
  // One summary for both runs, last, as node prints it for one run.
  const total = {};
  for (const f of readdirSync(countsDir)) {
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(join(countsDir, f), 'utf8')))) total[k] = (total[k] ?? 0) + v;
  }
  console.log(`ℹ both runs: ${together.length} files ${concurrency} at a time, then ${alone.length} alone`);
  for (const k of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) console.log(`ℹ ${k} ${total[k] ?? 0}`);
  console.log(`ℹ duration_ms ${Date.now() - started}`);
}
rmSync(countsDir, { recursive: true, force: true });
process.exit(status);
