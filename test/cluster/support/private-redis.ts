/**
 * A redis-server of the test's own on a random loopback port, without persistence (no RDB, no
 * AOF), so `restart()` is a Redis that lost everything: what a restart without persistence, or a
 * failover to an empty replica, looks like to Montage. `stop()` and `start()` apart let a test look
 * at the cluster while Redis is away.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { forget, killGroup, reapOnExit } from './child-reaper.ts';
import { freePort } from './free-port.ts';

export const REDIS_SERVER_BIN = process.env.MONTAGE_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export function redisServerMissing(): string | null {
  if (!existsSync(REDIS_SERVER_BIN)) return `no redis-server at ${REDIS_SERVER_BIN} (MONTAGE_TEST_REDIS_SERVER points elsewhere)`;
  return spawnSync(REDIS_SERVER_BIN, ['--version']).status === 0 ? null : `${REDIS_SERVER_BIN} --version failed`;
}

export interface PrivateRedis {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  readonly running: boolean;
  /** Starts it (empty) and waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGKILLs it: nothing is saved. */
  stop(): Promise<void>;
  /** stop(), then start(): an empty Redis on the same port. */
  restart(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const answersPing = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect({ port, host: '127.0.0.1' });
  const done = (ok: boolean) => { s.destroy(); resolve(ok); };
  s.setTimeout(1_000, () => done(false));
  s.once('error', () => done(false));
  s.once('connect', () => s.write('PING\r\n'));
  s.once('data', (d) => done(d.toString().startsWith('+PONG')));
});

export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  const missing = redisServerMissing();
  if (missing) throw new Error(missing);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const self: PrivateRedis = {
    port, url: `redis://127.0.0.1:${port}`,
    get running() { return child !== null; },
    async start() {
      if (child) return;
      const c = spawn(REDIS_SERVER_BIN, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'],
        { stdio: 'ignore', detached: true });
      child = c;
      reapOnExit(c.pid!);
      exited = new Promise<void>((ok) => c.on('exit', () => { forget(c.pid!); if (child === c) child = null; ok(); }));
      const end = Date.now() + 10_000;
      while (!(await answersPing(port))) {
        if (!child) throw new Error(`redis-server on port ${port} exited at start`);
        if (Date.now() > end) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
        await sleep(50);
      }
    },
    async stop() {
      if (!child) return;
      killGroup(child.pid!, 'SIGKILL');
      await exited;
    },
    async restart() {
      await self.stop();
      await self.start();
    },
  };
  await self.start();
  return self;
}
