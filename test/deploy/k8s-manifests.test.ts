/**
 * deploy/k8s: every manifest parses and validates against the Kubernetes (and KEDA, Prometheus
 * operator) schemas of kubernetes-models, for the base file by file and for each overlay as
 * kustomize renders it; then the invariants that keep a rollout safe hold in each rendering.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { join } from 'node:path';
import { bullmqKey, LIVENESS_PATH, METRICS_PATH, READINESS_PATH } from '../../src/config/deploy-constants.ts';
import {
  baseResourceFiles, checkRole, configOf, containerEnv, K8S, kustomize, kustomizeAvailable, labelsMatch,
  OVERLAYS, readYamlDocuments, registeredGetRoutes, ROOT, type Manifest, workloads,
} from './deploy-files.ts';

const MODELS: Record<string, { validate(): void } & any> = {
  'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret, 'v1/Service': Service, 'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment, 'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget, 'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject, 'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

function validateManifest(m: Manifest, where: string): void {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  assert.ok(Model, `${where}: ${m.apiVersion} ${m.kind} has no schema here; add it to MODELS`);
  try {
    new Model(m).validate();
  } catch (e) {
    assert.fail(`${where}: ${m.kind}/${m.metadata?.name} does not validate: ${(e as Error).message}`);
  }
}

const baseDocs = (): Manifest[] => baseResourceFiles().flatMap((f) => readYamlDocuments(f) as Manifest[]);

const renderings: Array<{ name: string; docs: () => Manifest[]; skip: string | false }> = [
  { name: 'base', docs: baseDocs, skip: false },
  ...OVERLAYS.map((o) => ({
    name: `overlay ${o}`, docs: () => kustomize(join(K8S, 'overlays', o)),
    skip: kustomizeAvailable() ? false as const : 'kubectl (with its kustomize) is not installed, so the overlays cannot be rendered here',
  })),
];

const probesOf = (c: any) => ([['startupProbe', c.startupProbe], ['livenessProbe', c.livenessProbe], ['readinessProbe', c.readinessProbe]] as const)
  .filter(([, p]) => p);

describe('deploy/k8s manifests', () => {
  it('every base file parses and validates against the schemas', () => {
    for (const f of baseResourceFiles()) {
      const docs = readYamlDocuments(f) as Manifest[];
      assert.ok(docs.length > 0, `${f} is empty`);
      for (const d of docs) validateManifest(d, f.slice(ROOT.length));
    }
  });

  for (const r of renderings) {
    describe(r.name, { skip: r.skip }, () => {
      const all = r.skip ? [] : r.docs();

      it('renders and every object validates against the schemas', () => {
        assert.ok(all.length >= 10, `only ${all.length} objects`);
        for (const m of all) validateManifest(m, r.name);
        const names = all.map((m) => `${m.kind}/${m.metadata.name}`);
        assert.equal(new Set(names).size, names.length, 'duplicate objects');
      });

      it('has the api and worker workloads, each running a real role of the CLI', (t) => {
        const args = workloads(all).map((d) => d.spec.template.spec.containers[0].args?.[0]);
        assert.deepEqual(args.sort(), ['api', 'worker']);
        for (const d of workloads(all)) {
          for (const c of d.spec.template.spec.containers) {
            assert.equal(c.command, undefined, `${d.metadata.name}: keep the image's ENTRYPOINT (montage); pass the role in args`);
            checkRole(t, c.args?.[0], d.metadata.name);
          }
        }
      });

      it('probes GET real routes on a declared port: liveness /healthz, readiness /readyz', () => {
        const routes = registeredGetRoutes();
        assert.ok(routes.has(LIVENESS_PATH) && routes.has(READINESS_PATH), `src/http registers ${[...routes].join(', ')}`);
        for (const d of workloads(all)) {
          for (const c of d.spec.template.spec.containers) {
            const ports = new Set((c.ports ?? []).flatMap((p: any) => [p.name, p.containerPort]));
            assert.equal(c.livenessProbe?.httpGet?.path, LIVENESS_PATH, `${d.metadata.name}: liveness`);
            assert.equal(c.readinessProbe?.httpGet?.path, READINESS_PATH, `${d.metadata.name}: readiness`);
            for (const [kind, p] of probesOf(c)) {
              assert.ok(routes.has(p.httpGet.path), `${d.metadata.name} ${kind} ${p.httpGet.path} is no route of src/http`);
              assert.ok(ports.has(p.httpGet.port), `${d.metadata.name} ${kind} port ${p.httpGet.port} is not a container port`);
            }
            const env = configOf(containerEnv(c, all));
            assert.ok(c.ports.some((p: any) => p.containerPort === env.port), `${d.metadata.name}: no container port is MONTAGE_PORT (${env.port})`);
          }
        }
      });

      it('the grace period outlasts preStop plus the drain (MONTAGE_SHUTDOWN_GRACE), and the mesh proxies stay up for it', () => {
        for (const d of workloads(all)) {
          const spec = d.spec.template.spec;
          const tgps = spec.terminationGracePeriodSeconds;
          assert.equal(typeof tgps, 'number', `${d.metadata.name}: terminationGracePeriodSeconds is not set`);
          for (const c of spec.containers) {
            const grace = configOf(containerEnv(c, all)).shutdownGraceMs / 1000;
            const cmd = c.lifecycle?.preStop?.exec?.command as string[] | undefined;
            const preStop = cmd ? Number(cmd.at(-1)) : (c.lifecycle?.preStop?.sleep?.seconds ?? 0);
            assert.ok(Number.isFinite(preStop), `${d.metadata.name}: preStop ${JSON.stringify(cmd)} is not a plain sleep`);
            assert.ok(tgps >= preStop + grace + 10,
              `${d.metadata.name}: terminationGracePeriodSeconds ${tgps} must exceed preStop ${preStop} s + MONTAGE_SHUTDOWN_GRACE ${grace} s by 10 s or more`);
            const proxyWait = Number(d.spec.template.metadata.annotations?.['config.alpha.linkerd.io/proxy-wait-before-exit-seconds']);
            assert.ok(proxyWait >= preStop + grace && proxyWait < tgps,
              `${d.metadata.name}: the Linkerd proxy waits ${proxyWait} s; it must cover ${preStop + grace} s and stay under ${tgps} s`);
          }
        }
        const api = workloads(all).find((d) => d.metadata.name === 'montage-api')!;
        assert.ok(api.spec.template.spec.containers[0].lifecycle?.preStop, 'the api needs a preStop sleep so endpoints drop it before SIGTERM');
      });

      it('every container runs non-root, without privilege escalation, on a read-only root, with no capabilities and with limits', () => {
        for (const d of workloads(all)) {
          const pod = d.spec.template.spec;
          assert.equal(pod.automountServiceAccountToken, false, `${d.metadata.name}: no API token is needed`);
          for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
            const where = `${d.metadata.name}/${c.name}`;
            const sc = c.securityContext ?? {};
            assert.equal(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot, true, `${where}: runAsNonRoot`);
            const uid = sc.runAsUser ?? pod.securityContext?.runAsUser;
            assert.ok(typeof uid === 'number' && uid > 0, `${where}: runAsUser must be a non-zero uid (got ${uid})`);
            assert.equal(sc.allowPrivilegeEscalation, false, `${where}: allowPrivilegeEscalation`);
            assert.equal(sc.readOnlyRootFilesystem, true, `${where}: readOnlyRootFilesystem`);
            assert.ok(sc.capabilities?.drop?.includes('ALL'), `${where}: capabilities.drop ALL`);
            assert.equal(sc.capabilities?.add, undefined, `${where}: adds capabilities`);
            assert.equal(sc.privileged ?? false, false, `${where}: privileged`);
            for (const r of ['cpu', 'memory'] as const) {
              assert.ok(c.resources?.requests?.[r], `${where}: requests.${r}`);
              assert.ok(c.resources?.limits?.[r], `${where}: limits.${r}`);
            }
            // Read-only root: the only writable places are emptyDirs at /tmp and the data dir.
            const dataDir = configOf(containerEnv(c, all)).dataDir;
            for (const path of ['/tmp', dataDir]) {
              const mount = (c.volumeMounts ?? []).find((v: any) => v.mountPath === path);
              assert.ok(mount, `${where}: nothing is mounted at ${path}`);
              const vol = (pod.volumes ?? []).find((v: any) => v.name === mount.name);
              assert.ok(vol?.emptyDir, `${where}: ${path} is not an emptyDir`);
              assert.ok(vol.emptyDir.sizeLimit, `${where}: the emptyDir at ${path} has no sizeLimit`);
            }
          }
        }
      });

      it('each container environment passes the configuration parser', () => {
        for (const d of workloads(all)) {
          for (const c of d.spec.template.spec.containers) {
            const env = containerEnv(c, all);
            assert.doesNotThrow(() => configOf(env), `${d.metadata.name}: ${JSON.stringify(env)}`);
          }
        }
      });

      it('Services, the HPA, the PDBs and the ServiceMonitor point at what exists', () => {
        const deps = workloads(all);
        const podLabels = (name: string) => deps.find((d) => d.metadata.name === name)?.spec.template.metadata.labels;
        for (const s of all.filter((m) => m.kind === 'Service')) {
          const target = deps.find((d) => labelsMatch(s.spec.selector, d.spec.template.metadata.labels));
          assert.ok(target, `Service ${s.metadata.name} selects no pods`);
          const portNames = new Set(target.spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.name)));
          for (const p of s.spec.ports) assert.ok(portNames.has(p.targetPort), `Service ${s.metadata.name}: targetPort ${p.targetPort}`);
        }
        for (const h of all.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
          assert.ok(podLabels(h.spec.scaleTargetRef.name), `HPA ${h.metadata.name} scales nothing`);
          assert.ok(h.spec.minReplicas >= 1 && h.spec.maxReplicas >= h.spec.minReplicas);
        }
        for (const p of all.filter((m) => m.kind === 'PodDisruptionBudget')) {
          assert.ok(deps.some((d) => labelsMatch(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), `PDB ${p.metadata.name} selects no pods`);
        }
        const apiPdb = all.find((m) => m.kind === 'PodDisruptionBudget' && labelsMatch(m.spec.selector.matchLabels, podLabels('montage-api')));
        assert.ok(apiPdb, 'the api has a PodDisruptionBudget');
        const sm = all.find((m) => m.kind === 'ServiceMonitor');
        assert.ok(sm, 'a ServiceMonitor');
        const scraped = all.filter((m) => m.kind === 'Service' && labelsMatch(sm.spec.selector.matchLabels, m.metadata.labels));
        assert.deepEqual(scraped.map((s) => s.metadata.name).sort(), ['montage-api', 'montage-worker']);
        for (const e of sm.spec.endpoints) {
          assert.equal(e.path, METRICS_PATH);
          assert.ok(registeredGetRoutes().has(e.path));
          for (const s of scraped) assert.ok(s.spec.ports.some((p: any) => p.name === e.port), `${s.metadata.name} has no port ${e.port}`);
        }
      });

      it('KEDA scales the worker Deployment on the real BullMQ keys, with the Redis address and password in its environment', () => {
        const so = all.find((m) => m.kind === 'ScaledObject');
        assert.ok(so, 'a ScaledObject');
        const worker = workloads(all).find((d) => d.metadata.name === so.spec.scaleTargetRef.name);
        assert.ok(worker, `the ScaledObject targets ${so.spec.scaleTargetRef.name}, which is not here`);
        assert.equal(worker.spec.template.spec.containers[0].args[0], 'worker');
        assert.equal(worker.spec.replicas, undefined, 'KEDA owns the worker replica count; a fixed replicas fights it');
        const triggers = so.spec.triggers as any[];
        assert.ok(triggers.every((t) => t.type === 'redis'));
        assert.deepEqual(triggers.map((t) => t.metadata.listName).sort(),
          [bullmqKey('active'), bullmqKey('prioritized'), bullmqKey('wait')].sort());
        // The formula adds every trigger, by name, and nothing else.
        const formula = so.spec.advanced.scalingModifiers.formula as string;
        assert.deepEqual(formula.split('+').map((s) => s.trim()).sort(), triggers.map((t) => t.name).sort());
        const c = worker.spec.template.spec.containers[0];
        const config = configOf(containerEnv(c, all));
        assert.equal(Number(so.spec.advanced.scalingModifiers.target), config.workerConcurrency,
          'target = renders one worker runs at once (MONTAGE_WORKER_CONCURRENCY)');
        const configKeys = new Set(all.filter((m) => m.kind === 'ConfigMap').flatMap((m) => Object.keys(m.data ?? {})));
        const secretKeys = new Set(baseDocs().filter((m) => m.kind === 'Secret').flatMap((m) => Object.keys({ ...m.data, ...m.stringData })));
        for (const t of triggers) {
          assert.ok(configKeys.has(t.metadata.addressFromEnv), `addressFromEnv ${t.metadata.addressFromEnv} is in no ConfigMap`);
          assert.ok(secretKeys.has(t.metadata.passwordFromEnv), `passwordFromEnv ${t.metadata.passwordFromEnv} is not a key of montage-secrets`);
          assert.ok(/^[^:/]+:\d+$/.test(containerEnv(c, all)[t.metadata.addressFromEnv] ?? ''), 'REDIS_ADDRESS is host:port');
        }
        assert.ok(so.spec.minReplicaCount <= so.spec.maxReplicaCount);
      });

      it('NetworkPolicies: default deny, the api only from the ingress controller (and Prometheus), workers out to the stores, DNS and the internet', () => {
        const nps = all.filter((m) => m.kind === 'NetworkPolicy');
        const deny = nps.find((n) => !n.spec.ingress && !n.spec.egress);
        assert.ok(deny && deny.spec.policyTypes.includes('Ingress') && deny.spec.policyTypes.includes('Egress'), 'a default-deny policy');
        const api = workloads(all).find((d) => d.metadata.name === 'montage-api')!.spec.template.metadata.labels;
        const worker = workloads(all).find((d) => d.metadata.name === 'montage-worker')!.spec.template.metadata.labels;
        const applies = (n: Manifest, labels: Record<string, string>) => labelsMatch(n.spec.podSelector.matchLabels, labels);
        const apiSources = nps.filter((n) => applies(n, api)).flatMap((n) => n.spec.ingress ?? []).flatMap((r: any) => r.from ?? []);
        assert.ok(apiSources.length > 0);
        for (const s of apiSources) {
          const ns = s.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
          assert.ok(ns === 'ingress-nginx' || ns === 'monitoring', `the api admits ${JSON.stringify(s)}`);
          assert.ok(!s.ipBlock, 'no ipBlock may reach the api');
        }
        const workerIngress = nps.filter((n) => applies(n, worker)).flatMap((n) => n.spec.ingress ?? []).flatMap((r: any) => r.from ?? []);
        for (const s of workerIngress) assert.equal(s.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'], 'monitoring');
        const egress = nps.filter((n) => applies(n, worker)).flatMap((n) => n.spec.egress ?? []);
        const ports = (r: any) => (r.ports ?? []).map((p: any) => p.port);
        assert.ok(egress.some((r: any) => ports(r).includes(53)), 'DNS');
        for (const p of [5432, 6379]) assert.ok(egress.some((r: any) => ports(r).includes(p)), `port ${p}`);
        const internet = egress.filter((r: any) => r.to?.some((t: any) => t.ipBlock?.cidr === '0.0.0.0/0'));
        assert.ok(internet.some((r: any) => ports(r).includes(443)), 'https out');
        for (const r of internet) {
          for (const t of r.to.filter((x: any) => x.ipBlock?.cidr === '0.0.0.0/0')) {
            for (const closed of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']) {
              assert.ok(t.ipBlock.except?.includes(closed), `internet egress must exclude ${closed}`);
            }
          }
        }
        const apiInternet = nps.filter((n) => applies(n, api)).flatMap((n) => n.spec.egress ?? [])
          .filter((r: any) => r.to?.some((t: any) => t.ipBlock) && ports(r).includes(80));
        assert.equal(apiInternet.length, 0, 'the api does not fetch from the internet');
      });

      it('pods carry the mesh annotations that work under Istio and Linkerd alike', () => {
        for (const d of workloads(all)) {
          const a = d.spec.template.metadata.annotations;
          assert.equal(a['linkerd.io/inject'], 'enabled');
          assert.equal(a['config.linkerd.io/proxy-await'], 'enabled');
          assert.equal(JSON.parse(a['proxy.istio.io/config']).holdApplicationUntilProxyStarts, true);
          assert.equal(a['sidecar.istio.io/rewriteAppHTTPProbers'], 'true');
          assert.equal(a['prometheus.io/path'], METRICS_PATH);
          assert.equal(a['traffic.sidecar.istio.io/excludeOutboundPorts'], undefined, 'not needed: egress goes through the mesh');
        }
        for (const s of all.filter((m) => m.kind === 'Service')) {
          for (const p of s.spec.ports) assert.ok(p.name === 'http' && p.appProtocol === 'http', `${s.metadata.name}: name the port for the mesh`);
        }
      });
    });
  }

  it('the overlays differ where they should: prod removes the placeholder Secret and pins the image; dev scales workers to zero', { skip: kustomizeAvailable() ? false : 'no kubectl' }, () => {
    const prod = kustomize(join(K8S, 'overlays/prod'));
    const dev = kustomize(join(K8S, 'overlays/dev'));
    assert.equal(prod.find((m) => m.kind === 'Secret'), undefined);
    assert.ok(prod.every((m) => m.metadata.namespace === 'montage'));
    assert.ok(dev.every((m) => m.metadata.namespace === 'montage-dev'));
    for (const d of workloads(prod)) assert.match(d.spec.template.spec.containers[0].image, /:\d+\.\d+\.\d+$/);
    assert.equal(dev.find((m) => m.kind === 'ScaledObject')!.spec.minReplicaCount, 0);
    assert.ok(prod.find((m) => m.kind === 'ScaledObject')!.spec.minReplicaCount >= 2);
  });
});
