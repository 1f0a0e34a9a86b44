/**
 * InputMemo in one JSON file (`montage render --cache DIR` keeps DIR/inputs.json; see
 * src/ports/input-memo.ts). Read once when opened; `save` writes it back, the most recently used
 * MAX_ENTRIES entries, through a temporary file renamed into place, after folding in what another
 * render saved meanwhile. A file that cannot be read or is not the memo's shape counts as empty:
 * the memo only ever saves work.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { InputFacts, InputMemo } from '../ports/input-memo.ts';

/** Entries kept (each a file's probe, keyframe lists and hash: about a kilobyte). */
export const MAX_ENTRIES = 1024;

type Entries = Map<string, InputFacts>;

const read = (path: string): Entries => {
  try {
    const j = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown; entries?: unknown };
    if (j.format !== 1 || !Array.isArray(j.entries)) return new Map();
    return new Map(j.entries.filter((e): e is [string, InputFacts] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'object' && e[1] !== null && !Array.isArray(e[1])));
  } catch {
    return new Map();
  }
};

const merged = (a: InputFacts | undefined, b: InputFacts): InputFacts => ({ ...a, ...b });

export const openFileInputMemo = (path: string, max = MAX_ENTRIES): InputMemo & { save(): Promise<void> } => {
  const entries = read(path);
  const changed = new Set<string>();
  let used = false;
  const touch = (id: string, f: InputFacts) => {
    entries.delete(id);
    entries.set(id, f);
    used = true;
  };
  return {
    get(id) {
      const f = entries.get(id);
      if (f) touch(id, f);
      return f;
    },
    put(id, facts) {
      touch(id, merged(entries.get(id), facts));
      changed.add(id);
    },
    async save() {
      if (!used) return;
      // Another render may have saved since this one opened the file: what it added stays, what
      // this one learned is added to it, and this one's entries move to the recent end in its order.
      const all = read(path);
      for (const [id, f] of entries) {
        const theirs = all.get(id);
        all.delete(id);
        all.set(id, changed.has(id) ? merged(theirs, f) : theirs ?? f);
      }
      const tmp = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, JSON.stringify({ format: 1, entries: [...all].slice(-max) }));
        await rename(tmp, path);
      } finally {
        await rm(tmp, { force: true });
      }
      changed.clear();
      used = false;
    },
  };
};
