/**
 * Test support for the fuzzer: valid compositions to start from, fast-check arbitraries for
 * mutations of them (delete, retype, rename, out-of-range numbers, huge strings, deep nesting,
 * prototype keys), and the check that a problem's JSON Pointer names a place in the document.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

const example = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));

/** Valid starting points: the shipped examples and a few that use every asset type. */
export const seeds = (assetSrc = 'asset:ast_missing'): unknown[] => [
  example('title-card.json'), example('sticker.json'), example('slideshow.json'), example('word-captions.json'),
  { output: { format: 'mp4', width: 640, height: 360, fps: 25 }, tracks: [{ clips: [{ asset: { type: 'color', color: '#123456' }, start: 0, length: 2 }] }] },
  {
    output: { format: 'webm', width: 320, height: 240, duration: 3, poster: { time: 1 }, thumbnail: { time: 1, width: 160 } },
    background: '#000000ff',
    soundtrack: { src: 'https://media.example.com/music.mp3', volume: 0.5, fadeOut: 1, duck: 0.3 },
    tracks: [
      { clips: [{ asset: { type: 'image', src: assetSrc }, start: 0, length: 3, fit: 'contain', effect: 'zoomIn', filter: 'sepia' }] },
      { clips: [
        { asset: { type: 'text', text: 'Hi {{name}}', font: { size: 40, weight: 700, color: '#fff' }, stroke: { color: '#000', width: 2 } }, start: 0.5, length: 2, position: 'top', transition: { in: 'slideLeft', out: 'fade', duration: 0.4 } },
        { asset: { type: 'captions', cues: [{ start: 0, end: 1, text: 'one' }, { start: 1, end: 2, text: 'two' }] }, start: 0, length: 3 },
        { asset: { type: 'shape', shape: 'circle', width: 50, height: 50, fill: '#f00' }, start: 1, length: 1, keyframes: { x: [{ time: 0, value: -0.5 }, { time: 1, value: 0.5, easing: 'easeInOut' }] } },
      ] },
      { clips: [{ asset: { type: 'audio', src: 'https://media.example.com/voice.wav', trim: 1, volume: 1.5, speed: 1.25, fadeIn: 0.2 }, start: 0, length: 'auto' }] },
    ],
    merge: { name: 'World' },
  },
  { output: { format: 'png', width: 100, height: 100, frame: 0 }, tracks: [{ clips: [{ asset: { type: 'video', src: 'https://media.example.com/v.mp4', trim: 2, muted: true }, start: 0, length: 1 }] }] },
];

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Places to mutate; never inside an earlier deep nest, so the document stays JSON.stringify-able. */
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length >= 32) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) paths((v as Record<string, unknown>)[k], [...at, k], out);
  return out;
}

/** Sets an own, enumerable property even for "__proto__" (plain assignment would set the prototype). */
const put = (o: Record<string, unknown>, k: string, v: unknown) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

const nested = (depth: number, leaf: Json): Json => {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'retype'; at: number; value: Json }
  | { op: 'rename'; at: number; name: string }
  | { op: 'number'; at: number; value: number }
  | { op: 'string'; at: number; length: number; char: string }
  | { op: 'nest'; at: number; depth: number }
  | { op: 'proto'; at: number; key: '__proto__' | 'constructor' | 'prototype'; value: Json }
  | { op: 'add'; at: number; key: string; value: Json };

const EDGE_NUMBERS = [0, -0, -1, 1e-9, 0.5, 15, 16, 17, 59.999, 60, 61, 600, 600.001, 2160, 2161, 3840, 3841, 1e6, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 5e-324];

export const mutationArb = (deep: boolean): fc.Arbitrary<Mutation> => fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  fc.record({ op: fc.constant('rename' as const), at: fc.nat(), name: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('lenght', 'src ', 'Type', 'widht', '$ref', '', '~1', '/')) }),
  fc.record({ op: fc.constant('number' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()) }),
  fc.record({ op: fc.constant('string' as const), at: fc.nat(), length: fc.constantFrom(0, 1, 300, 5_000, deep ? 200_000 : 20_000), char: fc.constantFrom('a', '{', '\u0000', '😀', '\u202e', '%', '{{x}}') }),
  fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.constantFrom(10, 63, 64, 100, 1_000, 4_000) }),
  fc.record({ op: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const), value: fc.constantFrom<Json>({ polluted: true }, { toString: 'x' }, 'x', null) }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.string({ maxLength: 10 }), value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json> }),
);

/** Values are copied in, so later mutations never edit a value fast-check shares between places. */
const copy = (v: unknown): unknown => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** Applies mutations to a deep copy of `doc`; the copy is what both the engine and the API get. */
export function mutate(doc: unknown, muts: readonly Mutation[]): unknown {
  let root = JSON.parse(JSON.stringify(doc)) as unknown;
  for (const m of muts) {
    const all = paths(root);
    const path = all[m.at % all.length]!;
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string, unknown> | unknown[] | undefined;
    const key = path[path.length - 1];
    const target = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
    const set = (value: unknown) => {
      const v = copy(value);
      if (key === undefined) root = v;
      else if (Array.isArray(parent)) parent[key as number] = v;
      else put(parent as Record<string, unknown>, key as string, v);
    };
    switch (m.op) {
      case 'delete':
        if (key === undefined) root = {};
        else if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, unknown>)[key as string];
        break;
      case 'retype': set(m.value); break;
      case 'number': set(m.value); break;
      case 'string': set(m.char.repeat(m.length)); break;
      case 'nest': set(nested(m.depth, 1)); break;
      case 'rename':
        if (key !== undefined && !Array.isArray(parent)) {
          const v = (parent as Record<string, unknown>)[key as string];
          delete (parent as Record<string, unknown>)[key as string];
          put(parent as Record<string, unknown>, m.name, v);
        }
        break;
      case 'proto':
      case 'add': {
        const obj = target && typeof target === 'object' && !Array.isArray(target) ? target as Record<string, unknown> : undefined;
        if (obj) put(obj, m.key, copy(m.value));
        else set(m.value);
        break;
      }
    }
  }
  return root;
}

/** RFC 6901 tokens of a pointer. */
export const tokens = (pointer: string): string[] =>
  pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));

/**
 * A pointer is acceptable when it resolves in `doc`, or when everything but its last token does
 * (it names a missing field or array slot of an existing object or array).
 */
export function pointerNamesAPlace(doc: unknown, pointer: string): boolean {
  if (pointer !== '' && !pointer.startsWith('/')) return false;
  let at: unknown = doc;
  const ts = tokens(pointer);
  for (const [i, t] of ts.entries()) {
    const last = i === ts.length - 1;
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(t)) return false;
      if (Number(t) >= at.length) return last;
      at = at[Number(t)];
    } else if (at && typeof at === 'object') {
      if (!Object.prototype.hasOwnProperty.call(at, t)) return last;
      at = (at as Record<string, unknown>)[t];
    } else {
      return false;
    }
  }
  return true;
}
