/**
 * Test support: what the load and chaos tests run against, one shape for both deployments:
 * `montage serve` as a child process, or the 2 api + 2 worker cluster behind nginx.
 */
import type { MontageClient } from '../../../src/http/montage-client.ts';
import type { MontageProcess } from '../../cluster/support/montage-process.ts';
import { metricValue } from '../../cluster/support/prometheus-text.ts';
import { startCluster, type Cluster, type ClusterOptions } from '../../cluster/support/start-cluster.ts';
import type { WebhookReceiver } from '../../cluster/support/webhook-receiver.ts';
import { startServeProcess, type ServeProcess } from './serve-process.ts';

export interface LoadTarget {
  readonly kind: 'serve' | 'cluster';
  readonly url: string;
  readonly key: string;
  readonly webhookSecret: string;
  readonly client: MontageClient;
  readonly webhooks: WebhookReceiver;
  /** Every Montage process (serve; or each api and worker). */
  readonly processes: readonly MontageProcess[];
  /** The processes that render (serve; or the workers). */
  readonly renderers: readonly MontageProcess[];
  /** The job queue's counts, from /metrics (montage_queue_depth). */
  queueDepth(): Promise<{ waiting: number; active: number; dead: number }>;
  readonly serve?: ServeProcess;
  readonly cluster?: Cluster;
  stop(): Promise<void>;
}

const depthFrom = async (p: MontageProcess) => {
  const { status, text } = await p.get('/metrics');
  if (status !== 200) throw new Error(`${p.name} /metrics answered ${status}`);
  const v = (state: string) => metricValue(text, 'montage_queue_depth', { state });
  return { waiting: v('waiting'), active: v('active'), dead: v('dead') };
};

export async function serveTarget(o: Parameters<typeof startServeProcess>[0] = {}): Promise<LoadTarget> {
  const s = await startServeProcess(o);
  return {
    kind: 'serve', url: s.url, key: s.key, webhookSecret: s.webhookSecret, client: s.client, webhooks: s.webhooks,
    processes: [s.proc], renderers: [s.proc], serve: s,
    queueDepth: () => depthFrom(s.proc),
    stop: () => s.stop(),
  };
}

export async function clusterTarget(o: ClusterOptions = {}): Promise<LoadTarget> {
  const c = await startCluster({ apis: 2, workers: 2, ...o });
  return {
    kind: 'cluster', url: c.url, key: c.key, webhookSecret: c.webhookSecret, client: c.client, webhooks: c.webhooks,
    processes: [...c.apis, ...c.workers], renderers: c.workers, cluster: c,
    // Any running worker reads the one shared queue.
    queueDepth: () => depthFrom(c.workers.find((w) => w.running) ?? c.apis[0]!),
    stop: () => c.stop(),
  };
}

/** A 0.5 s, 64×64 draft render: the cheapest real render (an mp4 with one video stream). */
export const tinyRender = (n: number, webhookUrl?: string): Record<string, unknown> => ({
  composition: {
    output: { format: 'mp4', width: 64, height: 64, fps: 10, quality: 'draft' },
    tracks: [{ clips: [{ asset: { type: 'color', color: `#${(n * 2654435761 >>> 8 & 0xffffff).toString(16).padStart(6, '0')}` }, start: 0, length: 0.5 }] }],
  },
  ...(webhookUrl ? { webhook: { url: webhookUrl } } : {}),
  metadata: { n },
});
