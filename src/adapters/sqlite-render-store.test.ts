import { renderStoreContract } from '../ports/render-store.contract.ts';
import { createSqliteRenderStore } from './sqlite-render-store.ts';
import { openTempSqlite } from './sqlite-test-db.ts';

renderStoreContract('sqlite', async () => {
  const t = openTempSqlite();
  return { store: createSqliteRenderStore(t.db), close: t.close };
});
