/**
 * What an import found that Montage cannot render: each problem names the JSON path in the
 * Shotstack Edit (as Shotstack's own validation errors do) and says what is unsupported and what
 * to do instead. Nothing in an Edit is ever silently dropped: a field is mapped, explicitly ignored
 * (documented in docs/shotstack.md: `cache`, `disk`, a destination's `exclude`), or a problem.
 */
export type EditPath = readonly (string | number)[];

export interface EditProblem {
  /** Where in the Edit, e.g. ['timeline', 'tracks', 0, 'clips', 2, 'asset', 'type']. */
  readonly path: EditPath;
  readonly message: string;
}

/** `timeline.tracks[0].clips[2].asset` — the path as Shotstack users read it. */
export const pathText = (path: EditPath): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');

/** Collects problems while a mapper walks the Edit. */
export class ProblemList {
  readonly items: EditProblem[] = [];
  add(path: EditPath, message: string): void {
    this.items.push({ path, message });
  }
}

export type JsonObject = Record<string, unknown>;
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
