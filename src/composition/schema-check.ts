/**
 * The composition schema's check (Ajv, from the published schema/composition.schema.json, which a
 * test holds identical to schema.ts; loading TypeBox itself would add a quarter second to every
 * CLI start).
 *
 * Installed (dist/), the check was compiled ahead of time by scripts/build-dist.mjs into
 * dist/composition/composition-check.js (named as `../composition/…`, which holds from this
 * module's folder and from the bundled CLI's chunks in dist/cli-chunks/): compiling the schema
 * costs about 0.25 s of CPU, which every `montage validate` and `montage render` would otherwise
 * pay before doing anything. From
 * source (a checkout) there is no such file, and the schema is compiled here, so it is always the
 * current one. Both compile the schema split into one function per sizeable part (split-schema.ts).
 */
import type { ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { AJV_OPTIONS } from './schema-check-options.ts';

export interface SchemaCheck {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const prebuilt = async (): Promise<SchemaCheck | undefined> => {
  const url = new URL('../composition/composition-check.js', import.meta.url);
  if (!url.pathname.endsWith('/dist/composition/composition-check.js')) return undefined;
  try {
    return ((await import(url.href)) as { validate: SchemaCheck }).validate;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
};

const compile = async (): Promise<SchemaCheck> => {
  const [{ Ajv }, { splitSchema }] = await Promise.all([import('ajv'), import('./split-schema.ts')]);
  const schema = JSON.parse(readFileSync(new URL('../../schema/composition.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  return new Ajv(AJV_OPTIONS).compile(splitSchema(schema));
};

/** Compiled once per process. */
export const check: SchemaCheck = (await prebuilt()) ?? (await compile());
