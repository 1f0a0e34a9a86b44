/**
 * The PostgreSQL schema as numbered migrations, the same tables as sqlite-migrations.ts in
 * PostgreSQL's own types: times are `timestamptz`, documents `jsonb`, sizes and epoch-ms `bigint`.
 * Append only: a released migration is never edited, a change is a new number.
 * The job queue is not here: in scale-out mode it lives in Redis (BullMQ).
 */
export interface PostgresMigration {
  readonly version: number;
  readonly sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  webhook_secret text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  tenant text NOT NULL REFERENCES tenants(id),
  hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE TABLE renders (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  status text NOT NULL,
  progress double precision NOT NULL DEFAULT 0,
  priority text NOT NULL,
  composition jsonb NOT NULL,
  duration double precision NOT NULL,
  format text NOT NULL,
  webhook_url text,
  metadata jsonb,
  error_code text,
  error_message text,
  outputs jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX renders_by_tenant ON renders (tenant, created_at DESC, id DESC);
CREATE INDEX renders_by_tenant_status ON renders (tenant, status, created_at DESC, id DESC);
-- The reconciler's scan: non-final renders by how long they have been quiet.
CREATE INDEX renders_unfinished ON renders (status, updated_at) WHERE status IN ('queued', 'preparing', 'rendering', 'finalizing');
CREATE TABLE idempotency_keys (
  tenant text NOT NULL,
  key text NOT NULL,
  body_hash text NOT NULL,
  state text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant, key)
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
CREATE TABLE templates (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  name text NOT NULL,
  composition jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX templates_by_tenant ON templates (tenant, created_at DESC, id DESC);
CREATE TABLE assets (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  object_key text NOT NULL,
  filename text,
  content_type text NOT NULL,
  bytes bigint NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  tenant text NOT NULL,
  render_id text NOT NULL,
  url text NOT NULL,
  event_type text NOT NULL,
  payload text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  status text NOT NULL,
  last_error text,
  last_status integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_render ON webhook_deliveries (tenant, render_id);
CREATE TABLE render_pieces (
  tenant text NOT NULL,
  render_id text NOT NULL,
  ord integer NOT NULL,
  piece text NOT NULL,
  start double precision NOT NULL,
  length double precision NOT NULL,
  frames integer NOT NULL,
  done boolean NOT NULL DEFAULT false,
  progress double precision NOT NULL DEFAULT 0,
  object_key text,
  PRIMARY KEY (tenant, render_id, piece)
);
`,
  },
  {
    // Uploads are probed once (src/assets/inspect-upload.ts); older rows keep null.
    version: 2,
    sql: `
ALTER TABLE assets ADD COLUMN probe jsonb;
`,
  },
  {
    // The piece cache's index (src/ports/piece-cache.ts).
    version: 3,
    sql: `
CREATE TABLE piece_cache (
  tenant text NOT NULL,
  key text NOT NULL,
  ext text NOT NULL,
  bytes bigint NOT NULL,
  sha256 text NOT NULL,
  created_at text NOT NULL,
  used_at text NOT NULL,
  PRIMARY KEY (tenant, key)
);
CREATE INDEX piece_cache_used ON piece_cache (used_at);
`,
  },
  {
    // Issue 17: how many pieces of a render came from the piece cache (null: the cache was not
    // used), and whether each piece of a distributed render was reused.
    version: 4,
    sql: `
ALTER TABLE renders ADD COLUMN pieces_total integer;
ALTER TABLE renders ADD COLUMN pieces_reused integer;
ALTER TABLE render_pieces ADD COLUMN reused boolean;
`,
  },
];
