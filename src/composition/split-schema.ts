/**
 * The composition schema rearranged for its compiled check: every sizeable property or array-item
 * schema moves into `definitions` and is referred to by `$ref` (identical ones once), so that Ajv,
 * with `inlineRefs: false` (AJV_OPTIONS), compiles each into a function of its own instead of one
 * 640 KB function. V8 compiles a function on its first call: a composition then pays only for the
 * parts of the format it uses (a title card never compiles the captions, video or audio checks):
 * the title card's first check took about 45 ms, now 10–18 ms (docs/benchmarks.md, start-up).
 *
 * The check must report exactly what the schema compiled whole reports (split-schema.test.ts holds
 * it so), and src/composition/schema-problems.ts reads the schema nodes it is given: a moved node
 * keeps its `description` beside the `$ref` (the hint of a `required` problem), and the branches of
 * `oneOf`/`anyOf` are never moved (a union's sentence and the discriminator's list of asset types
 * read them). The published schema/composition.schema.json is not changed. No imports: the build
 * (scripts/build-dist.mjs) loads the compiled module on its own, as it does schema-check-options.
 */

type Node = Record<string, unknown>;

/** Schemas whose JSON is shorter than this stay where they are: a call would cost more than it saves. */
const MIN_MOVED_CHARS = 150;

const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

export const splitSchema = (schema: Node, minChars = MIN_MOVED_CHARS): Node => {
  const definitions: Record<string, Node> = {};
  const nameOf = new Map<string, string>();
  const move = (node: unknown, hint: string): unknown => {
    if (!isNode(node)) return node;
    const walked = walk(node);
    const text = JSON.stringify(walked);
    if (text.length < minChars) return walked;
    let name = nameOf.get(text);
    if (name === undefined) {
      name = hint in definitions ? `${hint}-${nameOf.size}` : hint;
      nameOf.set(text, name);
      definitions[name] = walked;
    }
    const ref = { $ref: `#/definitions/${name}` };
    return walked.description === undefined ? ref : { ...ref, description: walked.description };
  };
  const walk = (node: Node): Node => {
    const out: Node = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isNode(value)) out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [p, move(s, p)]));
      else if (key === 'items' && isNode(value)) out[key] = move(value, 'items');
      else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value)) out[key] = value.map((b) => (isNode(b) ? walk(b) : b));
      else if (key === 'patternProperties' && isNode(value)) out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [p, isNode(s) ? walk(s) : s]));
      else if (key === 'additionalProperties' && isNode(value)) out[key] = walk(value);
      else out[key] = value;
    }
    return out;
  };
  const root = walk(schema);
  return { ...root, definitions };
};
