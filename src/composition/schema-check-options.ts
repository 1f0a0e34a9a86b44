/**
 * The Ajv options of the composition schema's check: one place for the check compiled at run time
 * (src/composition/schema-check.ts) and the one compiled ahead of time into the package
 * (scripts/build-dist.mjs), so the two report the same errors. No imports: the build loads the
 * compiled module on its own.
 *
 * `inlineRefs: false`: every `$ref` of the split schema (split-schema.ts) stays a function of its own,
 * which V8 compiles only when a composition first reaches it.
 */
export const AJV_OPTIONS = { allErrors: true, discriminator: true, verbose: true, strict: false, inlineRefs: false } as const;
