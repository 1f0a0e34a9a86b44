// The SQLite adapters against the shared port contracts, each on a fresh database file.
import { assetStoreContract } from '../ports/asset-store.contract.ts';
import { idempotencyStoreContract } from '../ports/idempotency-store.contract.ts';
import { keyStoreContract } from '../ports/key-store.contract.ts';
import { templateStoreContract } from '../ports/template-store.contract.ts';
import { webhookOutboxContract } from '../ports/webhook-outbox.contract.ts';
import { createSqliteAssetStore } from './sqlite-asset-store.ts';
import { createSqliteIdempotencyStore } from './sqlite-idempotency-store.ts';
import { createSqliteKeyStore } from './sqlite-key-store.ts';
import { createSqliteTemplateStore } from './sqlite-template-store.ts';
import { createSqliteWebhookOutbox } from './sqlite-webhook-outbox.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

const on = <P>(create: (db: ReturnType<typeof openTempSqlite>['db']) => P) => async () => {
  const t = openTempSqlite();
  return { store: create(t.db), close: t.close };
};

idempotencyStoreContract('sqlite', on(createSqliteIdempotencyStore));
templateStoreContract('sqlite', on(createSqliteTemplateStore));
assetStoreContract('sqlite', on(createSqliteAssetStore));
keyStoreContract('sqlite', on(createSqliteKeyStore));
webhookOutboxContract('sqlite', on(createSqliteWebhookOutbox));
