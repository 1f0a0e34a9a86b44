/**
 * POST /v1/validate?probe=true: the sources of a checked request fetched and probed as a worker
 * would (the same fetcher, policy, size limits and hostile-media guards), in a scratch directory
 * removed afterwards. Every problem comes back with its pointer.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { probeSources } from '../assets/probe-sources.ts';
import { probeMedia } from '../assets/probe-media.ts';
import type { MediaInfo } from '../assets/media-info.ts';
import type { Composition } from '../composition/schema.ts';
import type { FieldProblem } from '../errors/registry.ts';
import type { AssetStore } from '../ports/asset-store.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import type { AssetFetcher } from '../ports/remote-fetcher.ts';
import { createServiceSrcResolver } from './resolve-service-src.ts';

export type ProbeRequestSources = (tenant: string, composition: Composition) => Promise<FieldProblem[]>;

export function createProbeRequestSources(deps: {
  readonly assets: AssetStore;
  readonly objects: ObjectStore;
  readonly fetcher: AssetFetcher;
  readonly ffprobePath: string;
  /** Parent of the scratch directories. */
  readonly workRoot: string;
}): ProbeRequestSources {
  return async (tenant, composition) => {
    await mkdir(deps.workRoot, { recursive: true });
    const workDir = await mkdtemp(join(deps.workRoot, 'probe-'));
    try {
      const resolveSrc = createServiceSrcResolver(deps, tenant, workDir);
      return (await probeSources(composition, { resolveSrc, ffprobePath: deps.ffprobePath })).problems;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
}

/** One URL (or `asset:ID`) fetched and probed as a worker would: GET /edit/v1/probe/{url}. */
export type ProbeUrl = (tenant: string, url: string) => Promise<MediaInfo>;

export function createProbeUrl(deps: Parameters<typeof createProbeRequestSources>[0]): ProbeUrl {
  return async (tenant, url) => {
    await mkdir(deps.workRoot, { recursive: true });
    const workDir = await mkdtemp(join(deps.workRoot, 'probe-'));
    const signal = new AbortController().signal;
    try {
      const path = await createServiceSrcResolver(deps, tenant, workDir)(url, '/url', signal);
      return await probeMedia(path, { ffprobePath: deps.ffprobePath, pointer: '/url', signal });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
}
