/**
 * What the two kill -9 chaos tests share (chaos.test.ts: whole renders; chaos-chunked.test.ts:
 * distributed ones): the rig of a target (`montage serve`, or the 2+2 cluster behind a stalling S3
 * proxy) with a slow asset server, and the probes that find a render's ffmpeg and its part-written
 * upload in real state.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MontageProcess } from '../../cluster/support/montage-process.ts';
import { waitUntil } from '../../cluster/support/wait-for-render.ts';
import type { RenderRequest } from '../../../src/http/api-schemas.ts';
import { clusterTarget, serveTarget, type LoadTarget } from './load-targets.ts';
import { startSlowAssetServer, type SlowAssetServer } from './slow-asset-server.ts';
import { startStallingS3Proxy, type StallingS3Proxy } from './stalling-s3-proxy.ts';

export interface Chaos {
  readonly t: LoadTarget;
  readonly assets: SlowAssetServer;
  readonly s3proxy: StallingS3Proxy | null;
  /** Where a renderer keeps its data dir (work/, objects/ for serve). */
  dataDirOf(p: MontageProcess): string;
}

/**
 * Starts the target (`serve`, else the cluster) with `env`, an asset server that holds `png` half sent for 4 × `holdMs`, and,
 * for the cluster, an S3 proxy that stalls half-way through a PUT for `holdMs`.
 */
export const startChaos = async (kind: string, env: Record<string, string>, png: Buffer, holdMs: number): Promise<Chaos> => {
  const assets = await startSlowAssetServer(png, 'image/png', holdMs * 4);
  if (kind === 'serve') {
    const t = await serveTarget({ env });
    return { t, assets, s3proxy: null, dataDirOf: () => t.serve!.dataDir };
  }
  let s3proxy: StallingS3Proxy | null = null;
  const t = await clusterTarget({
    env,
    s3EndpointFor: async (endpoint) => { s3proxy = await startStallingS3Proxy(endpoint, holdMs); return s3proxy.endpoint; },
  });
  return { t, assets, s3proxy, dataDirOf: (p) => join(t.cluster!.dir, 'data', p.name) };
};

export const stopChaos = async (c: Chaos | undefined): Promise<void> => {
  await c?.t.stop();
  await c?.s3proxy?.close();
  await c?.assets.close();
};

/** An ffmpeg whose command line names `needle` (a work dir), and its parent's pid. */
export function ffmpegWith(needle: string): { pid: number; ppid: number } | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'ffmpeg') continue;
      if (!readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) continue;
      return { pid: Number(e), ppid: Number(stat.slice(close + 2).split(' ')[1]) };
    } catch { /* exited meanwhile */ }
  }
  return undefined;
}

/**
 * A part-written upload: a non-empty `.part` in the holder's file store (serve), or a PUT at S3
 * whose path contains `s3PathPart` with bytes already sent (cluster).
 */
export function partUpload(c: Chaos, holder: MontageProcess, s3PathPart: string): boolean {
  if (c.s3proxy) return [...c.s3proxy.inFlight.entries()].some(([path, bytes]) => path.includes(s3PathPart) && bytes > 0);
  const tmp = join(c.dataDirOf(holder), 'objects', '.tmp');
  return existsSync(tmp) && readdirSync(tmp).some((f) => {
    try { return f.endsWith('.part') && statSync(join(tmp, f)).size > 0; } catch { return false; }
  });
}

/**
 * Submits `composition()` with a webhook and waits until `reached` names the process holding it at the
 * point, then returns the render's id and that holder (not yet killed). A point is a moment that the
 * poller can miss under load: the webhook is delivered from the outbox as soon as the render is final,
 * not after the fault pause. A render whose webhook came before its point was seen is left to finish
 * unkilled, and another is submitted in its place (at most 5 tries); `onMiss` is told of each.
 */
export async function renderCaughtAt(
  c: Chaos, what: string, composition: () => Record<string, unknown>,
  reached: (id: string) => Promise<MontageProcess | undefined>, onMiss: (id: string) => void,
): Promise<{ id: string; holder: MontageProcess }> {
  for (let attempt = 1; ; attempt++) {
    const r = await c.t.client.createRender({ composition: composition(), webhook: { url: c.t.webhooks.url } } as RenderRequest);
    const holder = await waitUntil(`render ${r.id} ${what}`, async () => {
      const h = await reached(r.id);
      if (h) return h;
      return c.t.webhooks.deliveries.some((d) => d.body.includes(r.id)) ? 'missed' as const : undefined;
    }, { timeoutMs: 120_000, intervalMs: 20 });
    if (holder !== 'missed') return { id: r.id, holder };
    onMiss(r.id);
    if (attempt >= 5) throw new Error(`${what}: the point was missed in ${attempt} renders in a row`);
  }
}
