/** Writes schema/composition.schema.json from src/composition/schema.ts (`npm run build:schema`). */
import { writeFileSync } from 'node:fs';
import { publishedSchemaText } from '../src/composition/published-schema.ts';

const path = new URL('../schema/composition.schema.json', import.meta.url);
writeFileSync(path, publishedSchemaText());
console.log(`wrote ${path.pathname}`);
