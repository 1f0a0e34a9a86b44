/** The streams and environment a CLI command talks to; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/**
 * A reader that goes away (`montage render --json | head -1`) closes the pipe, and Node raises
 * EPIPE on the next write: unhandled, it ended the render with a stack trace and no output file.
 * What was to be printed then has no reader; the command goes on (a render still writes its file)
 * and its exit code stays its own. Any other error on the streams is still thrown.
 */
const withoutReader = (stream: NodeJS.WriteStream): NodeJS.WriteStream => {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
  return stream;
};

export const processIo = (): CliIo => ({ stdout: withoutReader(process.stdout), stderr: withoutReader(process.stderr), env: process.env, cwd: process.cwd() });

/** Exit codes of `montage render` and `montage validate`. */
export const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;
