/**
 * The Ajv options of the composition schema's check: one place for the check compiled at run time
 * (src/composition/schema-check.ts) and the one compiled ahead of time into the package
 * (scripts/build-dist.mjs), so the two report the same errors. No imports: the build loads the
 * compiled module on its own.
 */
export const AJV_OPTIONS = { allErrors: true, discriminator: true, verbose: true, strict: false } as const;
