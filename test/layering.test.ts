/**
 * The architecture's import rules, checked on every test run:
 *  - the render core (src/render, src/composition) imports nothing from the outer layers
 *    (src/http, src/adapters, src/cli, src/jobs, src/main), type-only imports included;
 *  - src has no import cycles.
 *
 * Why not dependency-cruiser or madge: both read TypeScript through the `typescript` package's
 * compiler API. TypeScript 7 (the native compiler this project uses) has no such API;
 * dependency-cruiser 16 accepts only typescript < 6, and 17+ needs Node 22. So the graph comes from
 * esbuild (already here for tsx), which parses and resolves every runtime import exactly as the
 * bundler would, and a lexical scan adds the `import type` edges that esbuild erases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Layers that must stay independent of the ones listed after them. */
const RULES: { from: string[]; mustNotImport: string[] }[] = [
  {
    from: ['src/render/', 'src/composition/'],
    mustNotImport: ['src/http/', 'src/adapters/', 'src/cli/', 'src/jobs/', 'src/main/'],
  },
];

const toPosix = (p: string) => p.split(sep).join('/');

const sourceFiles = (dir: string): string[] => {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(n) && !/\.d\.ts$/.test(n) && !/\.test\.ts$/.test(n) ? [toPosix(relative(ROOT, p))] : [];
  });
};

/** Every relative specifier in a file: import/export … from, bare import, dynamic import(), type imports too. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(['"])(\.{1,2}\/[^'"]+)\1/gm;
const stripComments = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

const lexicalImports = (file: string): string[] => {
  const text = stripComments(readFileSync(join(ROOT, file), 'utf8'));
  return [...text.matchAll(SPECIFIER)].map((m) => toPosix(relative(ROOT, resolve(ROOT, dirname(file), m[2]))));
};

/** The runtime import graph of src (tests excluded), as esbuild resolves it. */
const runtimeGraph = async (files: string[]): Promise<Map<string, string[]>> => {
  const result = await build({
    absWorkingDir: ROOT, entryPoints: files, bundle: true, write: false, metafile: true, splitting: true,
    platform: 'node', format: 'esm', packages: 'external', outdir: 'out/layering-check', logLevel: 'silent',
  });
  return new Map(Object.entries(result.metafile.inputs).map(([path, input]) => [
    toPosix(path), input.imports.filter((i) => !i.external && i.path.startsWith('src/')).map((i) => toPosix(i.path)),
  ]));
};

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
const cycles = (graph: Map<string, string[]>): string[][] => {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
};

const files = sourceFiles(join(ROOT, 'src'));

test('the render core imports nothing from http, adapters, cli, jobs or main (type imports included)', async () => {
  const runtime = await runtimeGraph(files);
  const violations: string[] = [];
  for (const file of files) {
    const rule = RULES.find((r) => r.from.some((p) => file.startsWith(p)));
    if (!rule) continue;
    const targets = new Set([...(runtime.get(file) ?? []), ...lexicalImports(file)]);
    for (const t of targets) {
      if (rule.mustNotImport.some((p) => t.startsWith(p))) violations.push(`${file} → ${t}`);
    }
  }
  assert.deepEqual(violations, [], `layering violations:\n  ${violations.join('\n  ')}`);
});

test('src has no import cycles', async () => {
  const found = cycles(await runtimeGraph(files));
  assert.deepEqual(found, [], `import cycles:\n  ${found.map((c) => c.join(' ⇄ ')).join('\n  ')}`);
});

test('the checker sees a violation and a cycle when there is one', () => {
  // A check that cannot fail is a defect: feed it a graph with both faults.
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
  assert.deepEqual(cycles(new Map([['a', ['a']]])), [['a']]);
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', []]])), []);
  const text = `import type { X } from '../http/x.ts';\nexport { y } from "./y.ts";\nconst z = await import('../cli/z.ts');\nimport './side.ts';\n// import { no } from '../jobs/no.ts';`;
  const specifiers = [...stripComments(text).matchAll(SPECIFIER)].map((m) => m[2]);
  assert.deepEqual(specifiers, ['../http/x.ts', './y.ts', '../cli/z.ts', './side.ts']);
});

test('the scan covers the render core', () => {
  // Guards against a refactor that moves the folders and leaves the rule checking nothing.
  assert.ok(files.some((f) => f.startsWith('src/render/')), 'no files under src/render');
  assert.ok(files.some((f) => f.startsWith('src/composition/')), 'no files under src/composition');
});
