import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { jobQueueContract } from '../ports/job-queue.contract.ts';
import { openSqlite } from './sqlite-database.ts';
import { createEmbeddedJobQueue } from './embedded-job-queue.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

jobQueueContract('embedded (sqlite)', async ({ maxAttempts }) => {
  const t = openTempSqlite();
  const others: ReturnType<typeof openSqlite>[] = [];
  return {
    store: createEmbeddedJobQueue(t.db, { maxAttempts, pollMs: 20 }),
    // A separate connection to the same file, as a restarted process would open.
    async reopen() {
      const db = openSqlite(t.path);
      others.push(db);
      return createEmbeddedJobQueue(db, { maxAttempts, pollMs: 20 });
    },
    async close() {
      for (const db of others) db.close();
      await t.close();
    },
  };
});

describe('embedded job queue across a kill -9', () => {
  it('leases again, after the lease runs out, a job whose worker process was killed', async () => {
    const t = openTempSqlite();
    try {
      const q = createEmbeddedJobQueue(t.db);
      await q.enqueue({ kind: 'render', v: 1, renderId: 'r1', tenant: 't1' }, { priority: 'normal' });
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
        const { openSqlite } = await import(${JSON.stringify(new URL('./sqlite-database.ts', import.meta.url).href)});
        const { createEmbeddedJobQueue } = await import(${JSON.stringify(new URL('./embedded-job-queue.ts', import.meta.url).href)});
        const q = createEmbeddedJobQueue(openSqlite(${JSON.stringify(t.path)}));
        const job = await q.lease({ workerId: 'doomed', leaseMs: 500 });
        process.stdout.write(job ? 'leased\\n' : 'none\\n');
        setInterval(() => {}, 1000);
      `], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      const leaseEnd = Date.now() + 500;
      assert.equal(line, 'leased');
      child.kill('SIGKILL');
      await once(child, 'exit');
      assert.equal(await q.lease({ workerId: 'survivor', leaseMs: 1_000 }), null, 'the dead lease still holds');
      assert.equal(await q.oldestWaitingAgeSeconds(), 0, 'a held lease is not waiting');
      let age = 0;
      for (const end = Date.now() + 3_000; age === 0 && Date.now() < end;) {
        await new Promise((r) => setTimeout(r, 50));
        age = await q.oldestWaitingAgeSeconds();
      }
      // The job was enqueued before the child started (a second or more under tsx); it waits from the lease's end.
      assert.ok(age > 0 && age <= (Date.now() - leaseEnd) / 1000 + 0.25, `waiting once its lease ran out, since the lease ended: ${age} s`);
      const again = await q.lease({ workerId: 'survivor', leaseMs: 1_000, waitMs: 3_000 });
      assert.equal(again?.message.renderId, 'r1');
      assert.equal(again?.attempts, 2);
    } finally { await t.close(); }
  });
});
