/**
 * Test support for test/deploy: reads the deployment files and the facts of the code they must
 * agree with (the CLI's roles, the HTTP routes, the configuration parser). Nothing here is mocked:
 * the roles and routes are read from the source the binary runs, the env is parsed by loadConfig.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { loadConfig, type Config } from '../../src/config/load-config.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const K8S = join(ROOT, 'deploy/k8s');

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

/** Every YAML document of a file, with any parse error thrown (not swallowed). */
export function readYamlDocuments(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((d) => {
    if (d.errors.length > 0) throw new Error(`${path}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS({ maxAliasCount: 100 });
  }).filter((d) => d != null);
}

export function readYaml(path: string): any {
  return parse(readFileSync(path, 'utf8'), { merge: true, maxAliasCount: 100 });
}

/** The resources of the base, file by file (kustomization.yaml itself excluded). */
export function baseResourceFiles(): string[] {
  const k = readYaml(join(K8S, 'base/kustomization.yaml')) as { resources: string[] };
  return k.resources.map((r) => join(K8S, 'base', r));
}

export const OVERLAYS = ['dev', 'prod'] as const;

/** Whether `kubectl kustomize` is here (kubectl ships kustomize); the overlays need it to render. */
export function kustomizeAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** Renders a kustomization directory with kubectl's built-in kustomize. */
export function kustomize(dir: string): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean) as Manifest[];
}

/** The roles `montage <role>` dispatches, read from the `case '…':` lines of src/cli/main.ts. */
export function cliRoles(): Set<string> {
  const src = readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8');
  return new Set([...src.matchAll(/case '([a-z-]+)':/g)].map((m) => m[1]!));
}

/** The commands the CLI's usage text lists, e.g. `api | worker` gives both. */
export function cliUsageCommands(): Set<string> {
  const src = readFileSync(join(ROOT, 'src/cli/main.ts'), 'utf8');
  const usage = /Commands:\n([\s\S]*?)\n\n/.exec(src)?.[1] ?? '';
  const names = new Set<string>();
  for (const line of usage.split('\n')) {
    const head = line.trim().split(/\s{2,}/)[0] ?? '';
    for (const part of head.split('|')) {
      const w = part.trim().split(/\s+/)[0];
      if (w && /^[a-z-]+$/.test(w)) names.add(w);
    }
  }
  return names;
}

/** GET routes registered in src/http (`app.get('/path', …)`), the paths probes may use. */
export function registeredGetRoutes(): Set<string> {
  const dir = join(ROOT, 'src/http');
  const routes = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/\bapp\.get\(\s*'([^']+)'/g)) routes.add(m[1]!);
  }
  return routes;
}

/** Seconds of a Kubernetes/compose-style duration ("45s", "1m30s", "90"). */
export function seconds(d: string | number): number {
  if (typeof d === 'number') return d;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)?/g;
  for (const m of d.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : m[2] === 'h' ? n * 3600 : n;
  }
  return total;
}

/**
 * The environment a container of `doc` starts with: its envFrom ConfigMaps and Secrets (those in
 * `all`; a Secret made outside git, as in prod, is absent) under its own `env` entries.
 */
export function containerEnv(container: any, all: Manifest[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const src = all.find((m) => m.kind === kind && m.metadata.name === ref.name);
    if (!src) continue;
    Object.assign(env, src.data ?? {}, src.stringData ?? {});
    if (kind === 'Secret' && src.data) {
      for (const [k, v] of Object.entries(src.data as Record<string, string>)) env[k] = Buffer.from(v, 'base64').toString();
    }
  }
  for (const e of container.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  return env;
}

/** loadConfig over a container's environment: throws MONTAGE_E_CONFIG_INVALID as start-up would. */
export function configOf(env: Record<string, string>): Config {
  return loadConfig(env, {}, '/');
}

export const DEFAULT_SHUTDOWN_GRACE_MS = loadConfig({}, {}, '/').shutdownGraceMs;

export const workloads = (ms: Manifest[]) => ms.filter((m) => m.kind === 'Deployment');

export function labelsMatch(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * Checks that `montage <role>` is a command of the CLI. A role the usage text promises but
 * src/cli/main.ts does not dispatch yet (`api` and `worker` while issue 4's roots are being
 * written) marks the test TODO with the reason instead of failing; any other name fails.
 */
export function checkRole(t: { todo(message?: string): void }, role: string, where: string): void {
  if (cliRoles().has(role)) return;
  if (cliUsageCommands().has(role)) {
    t.todo(`${where}: "montage ${role}" is in the CLI's usage but src/cli/main.ts does not dispatch it yet`);
    return;
  }
  throw new Error(`${where} runs "montage ${role}", which is no command of src/cli/main.ts (it has: ${[...cliRoles()].join(', ')})`);
}
