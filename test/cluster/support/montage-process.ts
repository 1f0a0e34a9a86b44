/**
 * One `bin/montage api|worker` child of the cluster harness (or a `bin/montage serve`), on a fixed loopback port (so nginx's
 * upstream and a restart find it again), with its output kept line by line (JSON log records are
 * parsed) and copied to `<logDir>/<name>.log`.
 *
 * Each child leads its own process group: `kill('SIGKILL')` takes the group down (the node process
 * and its ffmpeg children, as when a machine or container dies), `kill('SIGTERM')` signals the
 * montage process only and lets it drain. Either waits for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { forget, killGroup, reapOnExit } from './child-reaper.ts';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
export const MONTAGE_BIN = join(REPO_ROOT, 'bin', 'montage');

export type Role = 'api' | 'worker';
/** The roles this can run: the cluster's, and `serve` (one process: API and worker) for the load and chaos tests. */
export type ProcessRole = Role | 'serve';

export interface ExitInfo { readonly code: number | null; readonly signal: NodeJS.Signals | null }

export interface MontageProcess {
  readonly role: ProcessRole;
  /** `api-0`, `worker-1`, …: also its log file's name. */
  readonly name: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT`: the api itself, or the worker's /healthz /readyz /metrics. */
  readonly url: string;
  /** The current child's pid (changes on restart); undefined while it is not running. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** How many times it was started (1 after the first start). */
  readonly starts: number;
  /** Every output line of every start, in order. */
  readonly lines: readonly string[];
  /** The JSON log records among `lines`. */
  records(): Record<string, unknown>[];
  /** Starts it (again) and waits for /readyz 200 (`waitReady: false`: only for the spawn). */
  start(opts?: { readonly waitReady?: boolean }): Promise<void>;
  /** Sends the signal (see above) and waits until it has exited. No-op if not running. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<ExitInfo | null>;
  /** kill('SIGKILL') if running, then start(). */
  restart(): Promise<void>;
  /** Resolves with the exit of the current child (null if it is not running). */
  exited(): Promise<ExitInfo | null>;
  /** GET a path of its own port (no auth): status and text. */
  get(path: string): Promise<{ status: number; text: string }>;
  /** Polls /readyz until it answers `status` (200 by default), or throws after `timeoutMs`. */
  waitReadiness(status?: number, timeoutMs?: number): Promise<void>;
  /** SIGKILLs it if it runs and closes its log file: the harness's stop(). */
  dispose(): Promise<void>;
}

export interface MontageProcessOptions {
  readonly role: ProcessRole;
  readonly name: string;
  readonly port: number;
  /** The whole environment of the child (nothing of the test process's leaks in). */
  readonly env: Readonly<Record<string, string>>;
  readonly logDir: string;
  /** Command prefix, e.g. `['taskset', '-c', '1']` to pin it to a core. */
  readonly wrap?: readonly string[];
  /** Ms to wait for /readyz at start (default 90 s: tsx compiles on a busy machine). */
  readonly readyTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createMontageProcess(o: MontageProcessOptions): MontageProcess {
  const url = `http://127.0.0.1:${o.port}`;
  const lines: string[] = [];
  let child: ChildProcess | null = null;
  let exit: Promise<ExitInfo> | null = null;
  let starts = 0;
  let log: WriteStream | null = null;

  const collect = (stream: NodeJS.ReadableStream) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      log?.write(d);
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    stream.on('end', () => { if (buf) lines.push(buf); buf = ''; });
  };

  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, text: await res.text() };
  };

  const self: MontageProcess = {
    role: o.role, name: o.name, port: o.port, url,
    get pid() { return child?.pid; },
    get running() { return child !== null; },
    get starts() { return starts; },
    lines,
    records() {
      return lines.flatMap((l) => {
        if (!l.startsWith('{')) return [];
        try { return [JSON.parse(l) as Record<string, unknown>]; } catch { return []; }
      });
    },

    async start(opts = {}) {
      if (child) throw new Error(`${o.name} is running already`);
      starts += 1;
      log ??= createWriteStream(join(o.logDir, `${o.name}.log`), { flags: 'a' });
      log.write(`--- start ${starts} at ${new Date().toISOString()}\n`);
      const [cmd, ...args] = [...(o.wrap ?? []), process.execPath, MONTAGE_BIN, o.role];
      const c = spawn(cmd!, args, { cwd: REPO_ROOT, env: { ...o.env, MONTAGE_PORT: String(o.port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      child = c;
      reapOnExit(c.pid!);
      collect(c.stdout!);
      collect(c.stderr!);
      exit = new Promise<ExitInfo>((resolve) => {
        c.on('exit', (code, signal) => {
          forget(c.pid!);
          killGroup(c.pid!); // its ffmpeg children, if any outlived it
          if (child === c) child = null;
          log?.write(`--- exit ${code ?? signal} at ${new Date().toISOString()}\n`);
          resolve({ code, signal });
        });
      });
      if (opts.waitReady !== false) await self.waitReadiness(200, o.readyTimeoutMs ?? 90_000);
    },

    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || !exit) return null;
      const done = exit;
      if (signal === 'SIGKILL') killGroup(c.pid!, 'SIGKILL');
      else c.kill(signal);
      return done;
    },

    async restart() {
      await self.kill('SIGKILL');
      await self.start();
    },

    exited: () => (child && exit ? exit : Promise.resolve(null)),
    get,

    async waitReadiness(status = 200, timeoutMs = 60_000) {
      const end = Date.now() + timeoutMs;
      let last = 'no answer';
      for (;;) {
        if (!child) throw new Error(`${o.name} exited while waiting for /readyz ${status}:\n${lines.slice(-20).join('\n')}`);
        try {
          const r = await get('/readyz');
          if (r.status === status) return;
          last = `${r.status} ${r.text.slice(0, 300)}`;
        } catch (e) { last = (e as Error).message; }
        if (Date.now() > end) throw new Error(`${o.name}: /readyz did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${lines.slice(-20).join('\n')}`);
        await sleep(200);
      }
    },

    async dispose() {
      await self.kill('SIGKILL');
      const l = log;
      log = null;
      if (l) await new Promise<void>((ok) => l.end(ok));
    },
  };
  return self;
}
