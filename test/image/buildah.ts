/**
 * The image test's use of buildah (no Docker daemon here; issue 15 says how): vfs storage, chroot
 * isolation, the host's network. A role runs as a `buildah run` child process, stopped by signalling
 * its process group.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
export const STORAGE = ['--storage-driver', 'vfs'];

/** `buildah ARGS`, its stdout; throws with its stderr. */
export const buildah = async (args: readonly string[], timeoutMs = 1_800_000): Promise<string> => {
  try {
    return (await execFileAsync('buildah', [...STORAGE, ...args], { timeout: timeoutMs, maxBuffer: 256 << 20 })).stdout;
  } catch (e) {
    const x = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`buildah ${args.join(' ')} failed: ${x.message}\n${(x.stdout ?? '').slice(-4000)}\n${(x.stderr ?? '').slice(-4000)}`);
  }
};

export interface RunOptions {
  readonly env?: Record<string, string>;
  /** host:container[:ro] */
  readonly volumes?: readonly string[];
  readonly user?: string;
}

const runArgs = (ctr: string, cmd: readonly string[], o: RunOptions): string[] => [
  ...STORAGE, 'run', '--isolation', 'chroot', '--network', 'host',
  ...(o.user ? ['--user', o.user] : []),
  ...Object.entries(o.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ...(o.volumes ?? []).flatMap((v) => ['--volume', v]),
  ctr, '--', ...cmd,
];

/** A command in the container, to its end. */
export const runIn = async (ctr: string, cmd: readonly string[], o: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn('buildah', runArgs(ctr, cmd, o), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

export interface Role {
  readonly proc: ChildProcess;
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<number | null>;
}

/**
 * A long-running role (`montage serve|api|worker`), resolved when it logs "montage ROLE is ready".
 * Its own process group, so that stop() reaches buildah and what it started.
 */
export const startRole = async (ctr: string, role: string, o: RunOptions, timeoutMs = 120_000): Promise<Role> => {
  const proc = spawn('buildah', runArgs(ctr, ['montage', role], o), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      log += `${line}\n`;
      try {
        const l = JSON.parse(line) as { msg?: string; url?: string };
        if (l.msg === `montage ${role} is ready` && l.url) resolve(l.url);
      } catch { /* not a log line */ }
    });
    void exited.then((code) => reject(new Error(`montage ${role} exited with ${code} before it was ready:\n${log.slice(-4000)}`)));
    setTimeout(() => reject(new Error(`montage ${role} not ready after ${timeoutMs / 1000} s:\n${log.slice(-4000)}`)), timeoutMs).unref();
  });
  return {
    proc, url, log: () => log,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      // SIGTERM to Node alone, as `docker stop` does to the container's main process (buildah, hit by
      // the same signal, would report its own kill instead of Montage's exit status).
      const node = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(proc.pid)], { encoding: 'utf8' })
        .split('\n').filter((l) => l.includes('/app/dist/cli/main.js')).map((l) => Number(l.trim().split(/\s+/)[0]));
      if (node.length === 0) process.kill(-proc.pid!, 'SIGTERM');
      for (const pid of node) process.kill(pid, 'SIGTERM');
      const t = setTimeout(() => { try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone */ } }, 30_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
};

/** A TCP port free on loopback just now (the roles share the host's network). */
export const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});
