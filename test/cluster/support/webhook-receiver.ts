/**
 * A webhook receiver on a loopback port: records every POST (headers, body, time) and answers what
 * `respond` says (200 by default). `verified` checks each delivery's Standard Webhooks signature
 * with the tenant's secret (the `standardwebhooks` package, as a customer would) and returns the
 * parsed payloads; a delivery that does not verify throws.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface WebhookDelivery {
  /** Ms since the epoch when the body had arrived. */
  readonly at: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface VerifiedWebhook {
  readonly id: string;
  readonly type: string;
  readonly data: { readonly id: string; readonly status: string } & Record<string, unknown>;
  readonly delivery: WebhookDelivery;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT/hook`: the URL to give in a render's `webhook.url`. */
  readonly url: string;
  /** `127.0.0.1:PORT`, for MONTAGE_ALLOW_HOSTS (loopback is refused otherwise). */
  readonly hostPort: string;
  readonly deliveries: readonly WebhookDelivery[];
  /** Status to answer a delivery with (the n-th delivery is `n`, from 1). Default: 200. */
  respond: (delivery: WebhookDelivery, n: number) => number;
  /** Every delivery so far, verified against `secret` (throws on a bad signature). */
  verified(secret: string): VerifiedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: WebhookDelivery[] = [];
  const receiver: WebhookReceiver = {
    url: '', hostPort: '', deliveries,
    respond: () => 200,
    verified(secret) {
      const wh = new Webhook(secret);
      return deliveries.map((d) => {
        // The signature as standardwebhooks checks it, and the timestamp against the delivery's
        // arrival rather than now: a long test reads deliveries older than the 5-minute tolerance.
        const id = String(d.headers['webhook-id']);
        const ts = Number(d.headers['webhook-timestamp']);
        if (!Number.isInteger(ts) || Math.abs(d.at / 1000 - ts) > 300) throw new Error(`webhook ${id}: timestamp ${ts} is not within 5 minutes of its arrival`);
        const expected = wh.sign(id, new Date(ts * 1000), d.body);
        if (!String(d.headers['webhook-signature']).split(' ').includes(expected)) throw new Error(`webhook ${id}: the signature does not verify`);
        const payload = JSON.parse(d.body) as { type: string; data: VerifiedWebhook['data'] };
        return { id: String(d.headers['webhook-id']), type: payload.type, data: payload.data, delivery: d };
      });
    },
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d: WebhookDelivery = { at: Date.now(), path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      deliveries.push(d);
      res.writeHead(receiver.respond(d, deliveries.length)).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    hostPort: `127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  });
}
