/**
 * Test helper: one embedded `montage serve` (the real engine) for a test file, with an API key of
 * tenant `acme`, started before its tests and stopped after them. `skip` says why where no real
 * engine runs (no ffmpeg); a test then skips with it.
 */
import { after, before } from 'node:test';
import { loadRealEngine } from '../jobs/load-real-engine.ts';
import { startTestService, type TestService } from '../main/start-test-service.ts';

export interface EmbeddedServiceFixture {
  /** The running service (set once `before` has run, unless skipped). */
  readonly svc: TestService;
  readonly key: string;
  readonly skip?: string;
}

export const embeddedServiceFixture = (env: Record<string, string>): EmbeddedServiceFixture => {
  const f: { svc?: TestService; key: string; skip?: string } = { key: '' };
  before(async () => {
    const r = await loadRealEngine();
    if (!('engine' in r)) { f.skip = r.skip; return; }
    f.svc = await startTestService({ mode: 'embedded', engine: r.engine, env });
    f.key = (await f.svc.createKey('acme')).key;
  });
  after(async () => { await f.svc?.stop(); });
  return {
    get svc() { return f.svc!; },
    get key() { return f.key; },
    get skip() { return f.skip; },
  };
};
