/**
 * JSON Pointer (RFC 6901) → where that field is in the editor's text, so a problem reported by the
 * local schema check or by POST /v1/validate is drawn at its field. Walks the Lezer JSON tree.
 */
import { syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { SyntaxNode } from '@lezer/common';

export interface FieldRange {
  /** The property name's quotes included; absent for array items and the root. */
  readonly key?: { from: number; to: number };
  readonly value: { from: number; to: number };
}

const VALUE_NODES = new Set(['Object', 'Array', 'String', 'Number', 'True', 'False', 'Null']);

const children = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
};

export const parsePointer = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.replace(/^#/, '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The field at `pointer`, or null when the text has no such field (yet). */
export function rangeOfPointer(state: EditorState, pointer: string): FieldRange | null {
  const top = syntaxTree(state).topNode;
  const first = children(top).find((c) => VALUE_NODES.has(c.name));
  if (!first) return null;
  let node: SyntaxNode = first;
  let key: FieldRange['key'];
  for (const seg of parsePointer(pointer)) {
    if (node.name === 'Object') {
      const prop: SyntaxNode | undefined = children(node).filter((c) => c.name === 'Property').find((p) => {
        const name = p.getChild('PropertyName');
        if (!name) return false;
        try { return JSON.parse(state.sliceDoc(name.from, name.to)) === seg; } catch { return false; }
      });
      const name = prop?.getChild('PropertyName');
      const value: SyntaxNode | undefined = prop && children(prop).find((c) => VALUE_NODES.has(c.name));
      if (!name) return null;
      key = { from: name.from, to: name.to };
      if (!value) return { key, value: key };
      node = value;
    } else if (node.name === 'Array') {
      const items = children(node).filter((c) => VALUE_NODES.has(c.name));
      const item = /^\d+$/.test(seg) ? items[Number(seg)] : undefined;
      if (!item) return null;
      key = undefined;
      node = item;
    } else {
      return null;
    }
  }
  return { key, value: { from: node.from, to: node.to } };
}

/**
 * Where to draw a problem: the value, or the name for an unknown property; for a field that is
 * missing (a required one), the closest enclosing field that exists.
 */
export function problemRange(state: EditorState, pointer: string, detail: string): { from: number; to: number } {
  const segs = parsePointer(pointer);
  for (let n = segs.length; n >= 0; n--) {
    const p = segs.slice(0, n).map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const r = rangeOfPointer(state, p);
    if (!r) continue;
    if (n < segs.length) {
      // The field is missing: mark its parent's name, or the parent's opening brace.
      return r.key ?? { from: r.value.from, to: Math.min(r.value.from + 1, r.value.to) };
    }
    if (r.key && /^unknown property/i.test(detail)) return r.key;
    return r.value;
  }
  return { from: 0, to: Math.min(1, state.doc.length) };
}
