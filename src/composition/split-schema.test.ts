import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import fc from 'fast-check';
import { AJV_OPTIONS } from './schema-check-options.ts';
import { splitSchema } from './split-schema.ts';
import { schemaProblems } from './schema-problems.ts';
import { mutate, mutationArb, seeds } from '../../test/adversarial/support/mutate-composition.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/composition.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// The reference: the published schema compiled whole, as before the split (refs inlined, one function).
const whole = new Ajv({ ...AJV_OPTIONS, inlineRefs: true }).compile(schema);
const splitted = splitSchema(schema);
const split = new Ajv(AJV_OPTIONS).compile(splitted);
const definitions = splitted.definitions as Record<string, unknown>;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

/** A schema node with every `$ref` replaced by the part it names (and the root without its definitions): the node as the published schema has it. */
const resolvedOf = new WeakMap<object, unknown>();
const resolved = (node: unknown): unknown => {
  if (!node || typeof node !== 'object') return node;
  let r = resolvedOf.get(node);
  if (r !== undefined) return r;
  const ref = (node as { $ref?: unknown }).$ref;
  if (Array.isArray(node)) r = node.map(resolved);
  else if (typeof ref === 'string') r = resolved(definitions[ref.replace('#/definitions/', '')]);
  else r = Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'definitions').map(([k, v]) => [k, resolved(v)]));
  resolvedOf.set(node, r);
  return r;
};

/**
 * Everything an error says, its schema nodes with their parts put back, except `schemaPath`, which
 * names a definition once the schema is split (nothing reads it).
 */
const said = (errors: readonly ErrorObject[] | null | undefined, put: (node: unknown) => unknown) =>
  (errors ?? []).map(({ schemaPath: _, schema: s, parentSchema, ...rest }) => ({ ...rest, schema: text(put(s)), parentSchema: text(put(parentSchema)) }));

/** Schema nodes compared as JSON text, written once per node (the same nodes recur in thousands of errors). */
const textOf = new WeakMap<object, string>();
const text = (node: unknown): unknown => {
  if (!node || typeof node !== 'object') return node;
  let t = textOf.get(node);
  if (t === undefined) textOf.set(node, (t = JSON.stringify(node)));
  return t;
};

const sameVerdict = (doc: unknown) => {
  const a = whole(doc);
  const b = split(doc);
  assert.equal(b, a, `accepted by one check only: ${JSON.stringify(doc).slice(0, 300)}`);
  assert.deepEqual(said(split.errors, resolved), said(whole.errors, (n) => n));
  assert.deepEqual(schemaProblems(split.errors ?? []), schemaProblems(whole.errors ?? []));
  return a;
};

describe('the split composition schema (one function per part, for start-up)', () => {
  test('moves parts into definitions and keeps the published schema as it is', () => {
    const before = JSON.stringify(schema);
    const s = splitSchema(schema);
    assert.equal(JSON.stringify(schema), before);
    const defs = s.definitions as Record<string, unknown>;
    assert.ok(Object.keys(defs).length > 20, `only ${Object.keys(defs).length} definitions`);
    assert.ok(JSON.stringify(s).length < before.length, 'identical parts are defined once');
    // The discriminator's branches stay inline: the list of asset types is read from them.
    const tracks = (s.properties as Record<string, { $ref?: string; description?: string }>).tracks!;
    assert.equal(tracks.$ref, '#/definitions/tracks');
    assert.equal(tracks.description, (schema.properties as Record<string, { description: string }>).tracks.description);
    assert.deepEqual(resolved(tracks), (schema.properties as Record<string, unknown>).tracks);
  });

  test('the shipped examples pass both checks', () => {
    for (const doc of seeds()) assert.equal(sameVerdict(doc), true);
  });

  test(`2 000 mutated compositions: the same errors, in the same order, and the same problems (seed ${seed})`, () => {
    const bases = seeds();
    let rejected = 0;
    // Nests deeper than validateComposition lets through never reach the check; strings of thousands
    // of characters only make "did you mean" slow (its edit distance), twice per composition.
    const mutation = mutationArb(false).filter((m) => (m.op !== 'nest' || m.depth <= 64) && (m.op !== 'string' || m.length <= 300));
    fc.assert(fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, muts) => {
      const doc = JSON.parse(JSON.stringify(mutate(bases[base % bases.length], muts))) as unknown;
      if (!sameVerdict(doc)) rejected++;
    }), { numRuns: 2_000, seed, endOnFailure: true });
    assert.ok(rejected > 1_000, `only ${rejected} of 2 000 mutations were rejected`);
  });
});
