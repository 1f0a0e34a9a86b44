/** Reads a composition file and the `--merge K=V` pairs given with it. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MAX_DOCUMENT_NESTING, pointerDeeperThan } from '../composition/nesting-depth.ts';
import { MontageError } from '../errors/registry.ts';
import { looksLikeShotstackEdit } from '../shotstack/looks-like-edit.ts';
import type { EditPath } from '../shotstack/edit-problems.ts';

export const readCompositionFile = async (path: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new MontageError('MONTAGE_E_INVALID_REQUEST', `Cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  // A byte-order mark (Windows editors save one) is no JSON token, but no reason to refuse the file.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MontageError('MONTAGE_E_INVALID_JSON', `${path} is not valid JSON: ${(e as Error).message}${whereInText(text, (e as Error).message)}`, { cause: e });
  }
  // Before the Shotstack import or placeholders walk it (recursively): a stack overflow says nothing.
  const deep = pointerDeeperThan(parsed, MAX_DOCUMENT_NESTING);
  if (deep !== undefined) {
    throw new MontageError('MONTAGE_E_INVALID_REQUEST', `${path} nests more than ${MAX_DOCUMENT_NESTING} levels deep.`, {
      problems: [{ pointer: deep, detail: `nests more than ${MAX_DOCUMENT_NESTING} levels deep here; no field of a composition or an Edit is nested that far: flatten it` }],
    });
  }
  return parsed;
};

/**
 * ` (line 3, column 5)` for JSON.parse's "… at position 42", so that the place shows in an editor (a
 * comment, a trailing comma); '' when the message names no position.
 */
const whereInText = (text: string, message: string): string => {
  const m = /at position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1])).split('\n');
  return ` (line ${before.length}, column ${before[before.length - 1]!.length + 1})`;
};

/** `--merge name=World --merge seconds=5` → {name: "World", seconds: "5"}; the validator types them. */
export const parseMergeFlags = (pairs: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) {
      throw new MontageError('MONTAGE_E_INVALID_REQUEST', `--merge ${p}: expected NAME=VALUE, e.g. --merge title="Hello"`);
    }
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
};

export interface RenderInput {
  readonly raw: unknown;
  readonly merge: Record<string, string>;
  readonly gifPlaysOnce?: boolean;
  /** An Edit, merged already (mergeEdit): a `{{X}}` a merge value brought is text, not a placeholder. */
  readonly filled?: boolean;
  /**
   * For an Edit, where each composition clip came from (the import's `clipOrigins`), so that a
   * problem the composition checks find is named at its path in the Edit (inEditTerms).
   */
  readonly clipOrigins?: readonly (readonly EditPath[])[];
}

/**
 * The file as something to render: a composition with its merge values, or a Shotstack Edit
 * (recognised by its `timeline`), merged and imported into a composition (docs/shotstack.md).
 * `--merge` values that read as numbers merge as numbers into an Edit, as Shotstack's would.
 */
export const readRenderInput = async (
  path: string, merge: Record<string, string>,
  opts: { readonly ffprobePath?: string } = {},
): Promise<RenderInput> => {
  const raw = await readCompositionFile(path);
  if (!looksLikeShotstackEdit(raw)) return { raw, merge };
  const typed = Object.fromEntries(Object.entries(merge).map(([k, v]) => [k, /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v]));
  // The importer loads only for an Edit: a composition's render and validate start without it.
  const [{ boxedSources, importShotstackEdit }, { mergeEdit }, { editUnsupported }] = await Promise.all([
    import('../shotstack/edit-to-composition.ts'), import('../shotstack/merge-edit.ts'), import('../shotstack/edit-problems-error.ts'),
  ]);
  const merged = mergeEdit(raw, typed);
  // Video and image clips with width/height are fitted by their source's size: a local file's is
  // read here (a URL's is not fetched twice; its box is drawn as if the source had the box's shape).
  const sourceSizes = opts.ffprobePath ? await localSourceSizes(boxedSources(merged), dirname(path), opts.ffprobePath) : undefined;
  const r = importShotstackEdit(merged, sourceSizes ? { sourceSizes } : {});
  if (r.problems.length) throw editUnsupported(r.problems);
  // An Edit's output.repeat: false, which is a render option, not a composition field.
  return { raw: r.composition, merge: {}, filled: true, clipOrigins: r.clipOrigins, ...(r.gifPlaysOnce ? { gifPlaysOnce: true } : {}) };
};

/** The upright sizes of the local files among `srcs` (paths relative to the Edit's folder). */
const localSourceSizes = async (srcs: readonly string[], baseDir: string, ffprobePath: string) => {
  const { probeMedia } = await import('../assets/probe-media.ts');
  const out = new Map<string, { width: number; height: number } | { error: string }>();
  for (const src of srcs) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src)) continue;
    try {
      const v = (await probeMedia(resolve(baseDir, src), { ffprobePath, pointer: '/src' })).video;
      out.set(src, v ? { width: v.width, height: v.height } : { error: 'it has no picture.' });
    } catch (e) {
      out.set(src, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out.size ? out : undefined;
};
