/**
 * Runs the real `bin/montage` executable as a user would (a new Node process, through tsx), and
 * collects its exit code and output.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MONTAGE_BIN = fileURLToPath(new URL('../../bin/montage', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd` with `args` to its end in `cwd` with exactly `env`; never throws on a non-zero exit. */
export const runCommand = (cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

export const runMontage = (args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> =>
  runCommand(process.execPath, [MONTAGE_BIN, ...args], opts.cwd, { ...process.env, ...opts.env });
