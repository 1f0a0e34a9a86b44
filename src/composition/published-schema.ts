/**
 * The composition's JSON Schema as published in schema/composition.schema.json for editors
 * (`"$schema": "./schema/composition.schema.json"` in a composition file gives completion and
 * checks). Built from the same TypeBox schema the code validates with.
 */
import { Composition } from './schema.ts';

export const publishedSchema = (): Record<string, unknown> => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  ...JSON.parse(JSON.stringify(Composition)),
});

/** The file's exact text: stable key order from the schema source, two-space indents, final newline. */
export const publishedSchemaText = (): string => `${JSON.stringify(publishedSchema(), null, 2)}\n`;
