/**
 * What a user installs: `npm pack` of this checkout (prepack builds dist/), installed with npm into
 * an empty folder outside the repository, so that nothing of the checkout (its node_modules, tsx,
 * src/) can be reached from the installed package. From the local npm cache where it can
 * (--prefer-offline): the production dependencies are there after `npm install`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCommand, type CliResult } from '../support/run-montage.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileAsync = promisify(execFile);
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

export interface PackedFile { readonly path: string; readonly size: number; readonly mode: number }
export interface Packed { readonly tarball: string; readonly files: readonly PackedFile[]; readonly unpackedSize: number; readonly version: string }

const npm = async (args: readonly string[], cwd: string, timeout = 300_000): Promise<string> => {
  try {
    return (await execFileAsync('npm', [...args], { cwd, timeout, maxBuffer: 64 << 20, env: { ...process.env, npm_config_update_notifier: 'false' } })).stdout;
  } catch (e) {
    const x = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed: ${x.message}\n${x.stderr ?? ''}${x.stdout ?? ''}`);
  }
};

/**
 * `npm pack --json` into `dir`, prepack's build included. Its file list is the one
 * `npm pack --dry-run --json` prints, after the same build.
 */
export const pack = async (dir: string): Promise<Packed> => {
  const out = await npm(['pack', '--json', '--pack-destination', dir], ROOT);
  const [p] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: PackedFile[]; unpackedSize: number; version: string }];
  return { tarball: join(dir, p.filename), files: p.files, unpackedSize: p.unpackedSize, version: p.version };
};

/** `npm install TARBALL` into a new project folder `dir`. */
export const installLocal = async (tarball: string, dir: string): Promise<void> => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'uses-montage', private: true, type: 'module' }));
  await npm(['install', ...NPM_FLAGS, tarball], dir);
};

/** `npm install -g TARBALL` with `prefix` as the global prefix: `montage` lands in PREFIX/bin. */
export const installGlobal = async (tarball: string, prefix: string): Promise<string> => {
  await npm(['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball], ROOT);
  return join(prefix, 'bin', 'montage');
};

export type Run = CliResult;

/** Runs a command to its end; never throws on a non-zero exit. */
export const run = (cmd: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> =>
  runCommand(cmd, args, cwd, { ...cleanEnv(), ...env });

/** The environment of a user's shell: no NODE_OPTIONS or NODE_PATH that could lend the checkout's modules. */
export const cleanEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'NODE_OPTIONS' && k !== 'NODE_PATH' && k !== 'NODE_ENV') env[k] = v;
  return env;
};

/** `montage serve` started from an installed `montage` executable, resolved once it logs that it is ready. */
export const startServe = async (bin: string, cwd: string, env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> => {
  const proc = spawn(bin, ['serve'], { cwd, env: { ...cleanEnv(), MONTAGE_PORT: '0', MONTAGE_HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const l = JSON.parse(line) as { msg?: string; url?: string };
        if (l.msg === 'montage serve is ready' && l.url) resolve(l.url);
      } catch { /* not a log line */ }
    });
    proc.on('exit', (code) => reject(new Error(`montage serve exited with ${code} before it was ready: ${stderr}`)));
    setTimeout(() => reject(new Error(`montage serve was not ready after 60 s: ${stderr}`)), 60_000).unref();
  });
  return { proc, url };
};
