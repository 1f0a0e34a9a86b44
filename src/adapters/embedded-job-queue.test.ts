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
