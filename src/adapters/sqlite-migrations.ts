/**
 * The SQLite schema as numbered migrations. Append only: a released migration is never edited, a
 * change is a new number. `migrateSqlite` records each applied number in `schema_version`.
 */
export interface SqliteMigration {
  readonly version: number;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  webhook_secret TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL REFERENCES tenants(id),
  hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE TABLE renders (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  status TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  priority TEXT NOT NULL,
  composition TEXT NOT NULL,
  duration REAL NOT NULL,
  format TEXT NOT NULL,
  webhook_url TEXT,
  metadata TEXT,
  error_code TEXT,
  error_message TEXT,
  outputs TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX renders_by_tenant ON renders (tenant, created_at DESC, id DESC);
CREATE INDEX renders_by_tenant_status ON renders (tenant, status, created_at DESC, id DESC);
CREATE TABLE idempotency_keys (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  response TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  name TEXT NOT NULL,
  composition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX templates_by_tenant ON templates (tenant, created_at DESC, id DESC);
CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  object_key TEXT NOT NULL,
  filename TEXT,
  content_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  render_id TEXT NOT NULL,
  url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  last_error TEXT,
  last_status INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_render ON webhook_deliveries (tenant, render_id);
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  message TEXT NOT NULL,
  priority INTEGER NOT NULL,
  state TEXT NOT NULL,
  available_at INTEGER NOT NULL,
  lease_until INTEGER,
  lease_token TEXT,
  worker_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX jobs_ready ON jobs (state, priority DESC, seq);
`,
  },
  {
    version: 2,
    sql: `
CREATE TABLE render_pieces (
  tenant TEXT NOT NULL,
  render_id TEXT NOT NULL,
  ord INTEGER NOT NULL,
  piece TEXT NOT NULL,
  start REAL NOT NULL,
  length REAL NOT NULL,
  frames INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  progress REAL NOT NULL DEFAULT 0,
  object_key TEXT,
  PRIMARY KEY (tenant, render_id, piece)
);
`,
  },
  {
    // Uploads are probed once (src/assets/inspect-upload.ts); older rows keep null.
    version: 3,
    sql: `
ALTER TABLE assets ADD COLUMN probe TEXT;
`,
  },
  {
    // The piece cache's index (src/ports/piece-cache.ts).
    version: 4,
    sql: `
CREATE TABLE piece_cache (
  tenant TEXT NOT NULL,
  key TEXT NOT NULL,
  ext TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at TEXT NOT NULL,
  PRIMARY KEY (tenant, key)
);
CREATE INDEX piece_cache_used ON piece_cache (used_at);
`,
  },
  {
    // Issue 17: how many pieces of a render came from the piece cache (null: the cache was not
    // used), and whether each piece of a distributed render was reused.
    version: 5,
    sql: `
ALTER TABLE renders ADD COLUMN pieces_total INTEGER;
ALTER TABLE renders ADD COLUMN pieces_reused INTEGER;
ALTER TABLE render_pieces ADD COLUMN reused INTEGER;
`,
  },
];
