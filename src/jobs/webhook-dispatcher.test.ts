import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { parseAllowList } from '../assets/allow-list.ts';
import { createGuardedAgents } from '../assets/guarded-agents.ts';
import { createGuardedWebhookPoster } from '../adapters/guarded-webhook-poster.ts';
import { createSqliteKeyStore } from '../adapters/sqlite-key-store.ts';
import { createSqliteWebhookOutbox } from '../adapters/sqlite-webhook-outbox.ts';
import { openTempSqlite } from '../adapters/sqlite-test-db.ts';
import { openSqlite } from '../adapters/sqlite-database.ts';
import { createWebhookDispatcher, retryDelayMs } from './webhook-dispatcher.ts';

interface Received { headers: IncomingMessage['headers']; body: string }

async function receiver(statuses: number[]) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)]!;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { got, url: `http://127.0.0.1:${port}/hook`, port, close: () => new Promise((r) => server.close(r)) };
}

describe('webhook dispatcher', () => {
  it('signs per Standard Webhooks, retries with the same webhook-id across a restart, and stops on 2xx', async () => {
    const t = openTempSqlite();
    const rx = await receiver([500, 503, 204]);
    // Tries 60 s apart ending near the real time: verify() checks timestamps against the real clock.
    let now = Date.now() - 150_000;
    try {
      const keys = createSqliteKeyStore(t.db);
      const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      await keys.ensureTenant({ id: 'ten_1', name: 'acme', webhookSecret: secret });
      const allow = parseAllowList(`127.0.0.1:${rx.port}`);
      assert.ok(allow.ok);
      const poster = createGuardedWebhookPoster(createGuardedAgents({ allowList: allow.allowList }));
      const outbox = createSqliteWebhookOutbox(t.db);
      const payload = JSON.stringify({ type: 'render.succeeded', data: { id: 'rnd_1' } });
      await outbox.enqueue({ id: 'msg_abc', tenant: 'ten_1', renderId: 'rnd_1', url: rx.url, eventType: 'render.succeeded', payload, nextAttemptAt: now });
      const opts = { keys, poster, clock: () => now, random: () => 0.5, baseDelayMs: 1_000 };

      const d1 = createWebhookDispatcher({ ...opts, outbox });
      assert.equal(await d1.runOnce(), 1);
      let rec = await outbox.get('msg_abc');
      assert.equal(rec?.attempts, 1);
      assert.equal(rec?.lastStatus, 500);
      assert.equal(rec?.nextAttemptAt, now + retryDelayMs(1, 1_000, 6 * 3600_000, () => 0.5));
      assert.equal(await d1.runOnce(), 0, 'not before the backoff');

      // A restart: a new connection and dispatcher find the schedule where it was left.
      const db2 = openSqlite(t.path);
      try {
        const d2 = createWebhookDispatcher({ ...opts, outbox: createSqliteWebhookOutbox(db2) });
        now += 60_000;
        assert.equal(await d2.runOnce(), 1);
        now += 60_000;
        assert.equal(await d2.runOnce(), 1);
      } finally { db2.close(); }
      rec = await outbox.get('msg_abc');
      assert.equal(rec?.status, 'delivered');
      assert.equal(rec?.attempts, 3);

      assert.equal(rx.got.length, 3);
      assert.deepEqual(new Set(rx.got.map((r) => r.headers['webhook-id'])), new Set(['msg_abc']));
      for (const r of rx.got) {
        assert.equal(r.body, payload);
        const verified = new Webhook(secret).verify(r.body, {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        }) as unknown;
        assert.deepEqual(verified, JSON.parse(payload));
      }
    } finally { await rx.close(); await t.close(); }
  });

  it('stops for good on 410, and fails at once on a refused address', async () => {
    const t = openTempSqlite();
    const rx = await receiver([410]);
    try {
      const keys = createSqliteKeyStore(t.db);
      await keys.ensureTenant({ id: 'ten_1', name: 'acme', webhookSecret: `whsec_${Buffer.alloc(24, 1).toString('base64')}` });
      const outbox = createSqliteWebhookOutbox(t.db);
      const allow = parseAllowList(`127.0.0.1:${rx.port}`);
      assert.ok(allow.ok);
      const d = createWebhookDispatcher({ outbox, keys, poster: createGuardedWebhookPoster(createGuardedAgents({ allowList: allow.allowList })) });
      await outbox.enqueue({ id: 'msg_gone', tenant: 'ten_1', renderId: 'r', url: rx.url, eventType: 'render.failed', payload: '{}' });
      await outbox.enqueue({ id: 'msg_private', tenant: 'ten_1', renderId: 'r', url: 'http://169.254.169.254/latest', eventType: 'render.failed', payload: '{}' });
      await d.runOnce();
      assert.equal((await outbox.get('msg_gone'))?.status, 'stopped');
      const refused = await outbox.get('msg_private');
      assert.equal(refused?.status, 'failed');
      assert.equal(rx.got.length, 1);
    } finally { await rx.close(); await t.close(); }
  });
});
