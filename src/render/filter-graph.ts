/**
 * A tiny builder for an ffmpeg invocation: inputs with their options, labelled filter chains and the
 * side files (sendcmd scripts) that some chains read. Plain data in, plain data out: no I/O.
 */
import { createHash } from 'node:crypto';
import { YUV_PIXELS, type WorkingPixels } from './working-pixels.ts';

export interface PlanInput {
  /** Options that go before `-i` (seek, duration, loop). */
  readonly options: readonly string[];
  readonly path: string;
}

export interface SideFile {
  /** Absolute path the runner writes before starting ffmpeg. */
  readonly path: string;
  /** Text (scripts, command files) or bytes (reveal maps). */
  readonly content: string | Uint8Array;
}

export class FilterGraph {
  readonly inputs: PlanInput[] = [];
  readonly chains: string[] = [];
  readonly sideFiles: SideFile[] = [];
  private next = 0;
  /** Chains made once and read by several (sharedChain), by their text: where they sit in `chains`, and their readers' labels. */
  private readonly shared = new Map<string, { readonly at: number; readonly outs: string[] }>();

  /**
   * @param pixels the formats layers are drawn and composited in (working-pixels.ts): 4:2:0 YUV
   * for video, planar RGB for stills.
   */
  constructor(private readonly workDir: string, readonly pixels: WorkingPixels = YUV_PIXELS) {}

  /** Adds an input and returns its index (reusing an identical one). */
  input(path: string, options: readonly string[] = []): number {
    const i = this.inputs.findIndex((x) => x.path === path && x.options.join('\0') === options.join('\0'));
    if (i >= 0) return i;
    this.inputs.push({ path, options });
    return this.inputs.length - 1;
  }

  /**
   * Adds an input that is never shared, even with an identical one: two filter chains reading one
   * input stream make ffmpeg buffer every frame the slower chain has not read yet (a looped source
   * read once per pass would hold a whole pass in memory).
   */
  freshInput(path: string, options: readonly string[] = []): number {
    this.inputs.push({ path, options });
    return this.inputs.length - 1;
  }

  label(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  /** Adds `[ins...]filters[outs...]` and returns the (first) output label. Empty filter lists become `null`. */
  chain(ins: readonly string[], filters: readonly string[], out: string | readonly string[]): string {
    const outs = typeof out === 'string' ? [out] : out;
    this.chains.push(`${ins.map((l) => `[${l}]`).join('')}${filters.length ? filters.join(',') : 'null'}${outs.map((l) => `[${l}]`).join('')}`);
    return outs[0];
  }

  /**
   * `[ins...]filters` made once however often it is asked for: each call returns a label of its own
   * for one reader, and the chain ends in a `split` when there are several (a still sized up once
   * for the windows its clip is drawn in, zoom-ratio.ts). Only for chains of one frame, or whose
   * readers read at the same pace: a split holds every frame a slower reader has not taken yet.
   */
  sharedChain(ins: readonly string[], filters: readonly string[]): string {
    const text = `${ins.map((l) => `[${l}]`).join('')}${filters.join(',')}`;
    let entry = this.shared.get(text);
    if (!entry) {
      entry = { at: this.chains.length, outs: [] };
      this.chains.push(text);
      this.shared.set(text, entry);
    }
    const label = this.label('sh');
    entry.outs.push(label);
    return label;
  }

  /**
   * Registers a side file and returns its path for use as a filter option value. The engine makes
   * work directories with plain names, so no filtergraph escaping is ever needed; anything else is
   * a programming error.
   */
  sideFile(name: string, content: string | Uint8Array): string {
    const path = `${this.workDir}/${name}`;
    if (!/^[A-Za-z0-9_/.\-]+$/.test(path)) throw new Error(`work paths must be plain: ${path}`);
    this.sideFiles.push({ path, content });
    return path;
  }

  toString(): string {
    const chains = [...this.chains];
    for (const [text, { at, outs }] of this.shared) {
      chains[at] = `${text}${outs.length > 1 ? `,split=${outs.length}` : ''}${outs.map((l) => `[${l}]`).join('')}`;
    }
    // An emptied chain (a base that no frame shows, plan-render.ts) is left out.
    return chains.filter((c) => c !== '').join(';\n');
  }
}

/**
 * A name part for the labels inside a chain that FilterGraph.sharedChain may make once for several
 * readers: the same for the same text, and (all but surely) apart from any other's.
 */
export const labelSeed = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Quotes an expression for a filter option: commas inside stay part of the expression. */
export const q = (expr: string): string => {
  if (expr.includes("'")) throw new Error('expressions never contain quotes');
  return `'${expr}'`;
};

/** ffmpeg colour syntax from CSS hex (#rgb, #rrggbb, #rrggbbaa). */
export const ffColour = (hex: string): string => {
  let h = hex.replace('#', '');
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  const alpha = h.length === 8 ? parseInt(h.slice(6), 16) / 255 : 1;
  return `0x${h.slice(0, 6)}@${alpha.toFixed(4)}`;
};
