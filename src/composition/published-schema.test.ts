import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { publishedSchemaText } from './published-schema.ts';

const file = new URL('../../schema/composition.schema.json', import.meta.url);

test('schema/composition.schema.json is the schema the code validates with (run npm run build:schema after changing schema.ts)', () => {
  assert.equal(readFileSync(file, 'utf8'), publishedSchemaText());
});

test('the published schema is a valid draft-07 schema that a stock validator accepts and applies', () => {
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  const check = new Ajv({ strict: false, discriminator: true }).compile(schema);
  const example = JSON.parse(readFileSync(new URL('../../../shared/bench/ref-a.json', import.meta.url), 'utf8'));
  assert.equal(check(example), true, JSON.stringify(check.errors));
  assert.equal(check({ ...example, outptu: {} }), false);
});
