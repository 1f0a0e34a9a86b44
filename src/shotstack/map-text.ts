/**
 * Shotstack's text-bearing assets → Montage `text` and `captions` assets: `title` (style presets),
 * the older `text`, `rich-text` (spans of style, gradient, animation presets), `caption` and
 * `rich-caption` (an active-word style becomes a `highlight`). Colours: Shotstack writes an
 * 8-digit hex as #AARRGGBB (alpha first), Montage as #RRGGBBAA; `opacity` fields become that alpha.
 */
import type { SourceSize } from './clip-box-fit.ts';
import { isObject, type EditPath, type JsonObject, type ProblemList } from './edit-problems.ts';

export interface TextContext {
  readonly width: number;
  readonly height: number;
  readonly problems: ProblemList;
  /** Families that the Edit declares in timeline.fonts (matched by file name), or Montage bundles. */
  readonly families: ReadonlySet<string>;
  readonly warnings: string[];
  /** Sources' sizes, read for the clips that set `width` and `height` (clip-box-fit.ts); absent where nothing probed them. */
  readonly sourceSizes?: ReadonlyMap<string, SourceSize>;
}

/** #rgb, #rrggbb, or Shotstack's #aarrggbb → Montage's colour, with `opacity` (0–1) as alpha. */
export function colour(v: unknown, path: EditPath, problems: ProblemList, opacity?: unknown): string | undefined {
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(v) : null;
  if (!m) { problems.add(path, `"${String(v)}" is not a hex colour: use #rrggbb or #aarrggbb.`); return undefined; }
  let hex = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  let alpha = 1;
  if (hex.length === 8) { alpha = parseInt(hex.slice(0, 2), 16) / 255; hex = hex.slice(2); }
  if (typeof opacity === 'number') alpha *= Math.min(1, Math.max(0, opacity));
  return alpha >= 1 ? `#${hex.toLowerCase()}` : `#${hex.toLowerCase()}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

const BUNDLED = new Set(['dejavu sans', 'dejavu serif', 'dejavu sans mono', 'sans-serif', 'serif', 'monospace']);

/** A family the Edit declares or Montage bundles is kept; any other becomes Montage's default, with a warning. */
export function family(v: unknown, path: EditPath, ctx: TextContext): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !v.trim()) { ctx.problems.add(path, 'must be a font family name.'); return undefined; }
  if (ctx.families.has(v) || BUNDLED.has(v.toLowerCase())) return v;
  ctx.warnings.push(`${pathOf(path)}: font "${v}" is not in timeline.fonts and Montage does not bundle it; DejaVu Sans is used. Add the font file to timeline.fonts to use it.`);
  return undefined;
}
const pathOf = (p: EditPath) => p.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('').replace(/^\./, '');

const TITLE_SIZES: Record<string, number> = {
  'xx-small': 0.025, 'x-small': 0.035, small: 0.045, medium: 0.06, large: 0.08, 'x-large': 0.1, 'xx-large': 0.13,
};
/** Montage's reading of Shotstack's title styles with the fonts it bundles. */
const TITLE_STYLES: Record<string, { family: string; weight: number; upper?: boolean; background?: string; scale?: number }> = {
  minimal: { family: 'DejaVu Sans', weight: 400 },
  blockbuster: { family: 'DejaVu Sans', weight: 700, upper: true, scale: 1.3 },
  vogue: { family: 'DejaVu Serif', weight: 400, upper: true },
  sketchy: { family: 'DejaVu Sans Mono', weight: 400 },
  skinny: { family: 'DejaVu Sans', weight: 200, upper: true },
  chunk: { family: 'DejaVu Sans', weight: 700, upper: true, background: '#000000' },
  chunkLight: { family: 'DejaVu Sans', weight: 700, upper: true, background: '#ffffff' },
  marker: { family: 'DejaVu Sans', weight: 700 },
  future: { family: 'DejaVu Sans Mono', weight: 700, upper: true },
  subtitle: { family: 'DejaVu Sans', weight: 400, background: '#000000a0', scale: 0.7 },
};

/** The keys of each sub-object of `a` named in `known` (`{stroke: ['color', 'width']}`) are checked too. */
const subKeys = (a: JsonObject, known: Readonly<Record<string, readonly string[]>>, path: EditPath, problems: ProblemList) => {
  for (const [k, keys] of Object.entries(known)) if (isObject(a[k])) checkKeys(a[k] as JsonObject, keys, [...path, k], problems);
};
const checkKeys = (o: JsonObject, known: readonly string[], path: EditPath, problems: ProblemList) => {
  for (const k of Object.keys(o)) if (!known.includes(k)) problems.add([...path, k], `is not supported in this asset: remove it.`);
};

/** `title`: text with a style preset, size step, colour, background, and its own position/offset. */
export function mapTitle(a: JsonObject, path: EditPath, ctx: TextContext): { asset: JsonObject; position?: unknown; offset?: unknown } {
  checkKeys(a, ['type', 'text', 'style', 'color', 'size', 'background', 'position', 'offset'], path, ctx.problems);
  const style = typeof a.style === 'string' ? TITLE_STYLES[a.style] : TITLE_STYLES.minimal;
  if (a.style !== undefined && !style) ctx.problems.add([...path, 'style'], `"${String(a.style)}" is not a title style: use ${Object.keys(TITLE_STYLES).join(', ')}.`);
  const step = a.size === undefined ? 'medium' : a.size;
  const fraction = typeof step === 'string' ? TITLE_SIZES[step] : undefined;
  if (!fraction) ctx.problems.add([...path, 'size'], `"${String(a.size)}" is not a title size: use ${Object.keys(TITLE_SIZES).join(', ')}.`);
  const s = style ?? TITLE_STYLES.minimal;
  const text = typeof a.text === 'string' ? a.text : '';
  if (typeof a.text !== 'string') ctx.problems.add([...path, 'text'], 'must be a string.');
  const asset: JsonObject = {
    type: 'text',
    text,
    font: {
      family: s.family, weight: s.weight,
      size: Math.round(ctx.height * (fraction ?? 0.06) * (s.scale ?? 1)),
      color: colour(a.color, [...path, 'color'], ctx.problems) ?? (a.style === 'chunkLight' ? '#000000' : '#ffffff'),
    },
  };
  if (s.upper) asset.transform = 'uppercase';
  const bg = colour(a.background, [...path, 'background'], ctx.problems) ?? s.background;
  if (bg) { asset.background = bg; asset.padding = Math.round(ctx.height * 0.015); }
  return { asset, position: a.position, offset: a.offset };
}

const alignH = (v: unknown, path: EditPath, problems: ProblemList) => {
  if (v === undefined) return undefined;
  if (v === 'left' || v === 'center' || v === 'right') return v;
  problems.add(path, `"${String(v)}" is not an alignment: use left, center or right.`);
  return undefined;
};
const alignV = (v: unknown, path: EditPath, problems: ProblemList) => {
  if (v === undefined) return undefined;
  if (v === 'top' || v === 'bottom') return v;
  if (v === 'center' || v === 'middle') return 'middle';
  problems.add(path, `"${String(v)}" is not a vertical alignment: use top, center or bottom.`);
  return undefined;
};

function mapFont(f: unknown, path: EditPath, ctx: TextContext, known: readonly string[]): JsonObject {
  if (f === undefined) return {};
  if (!isObject(f)) { ctx.problems.add(path, 'must be an object.'); return {}; }
  checkKeys(f, known, path, ctx.problems);
  const font: JsonObject = {};
  const fam = family(f.family, [...path, 'family'], ctx);
  if (fam) font.family = fam;
  if (typeof f.size === 'number') font.size = f.size;
  if (typeof f.weight === 'number' || typeof f.weight === 'string') font.weight = typeof f.weight === 'string' ? Number(f.weight) || f.weight : f.weight;
  if (typeof f.lineHeight === 'number') font.lineHeight = f.lineHeight;
  const c = colour(f.color, [...path, 'color'], ctx.problems, f.opacity);
  if (c) font.color = c;
  return font;
}

/** The older `text` asset: a box of `width` × `height` px, font, background, alignment, stroke. */
export function mapPlainText(a: JsonObject, path: EditPath, ctx: TextContext, clipBox: { width?: unknown; height?: unknown }): JsonObject {
  checkKeys(a, ['type', 'text', 'width', 'height', 'font', 'background', 'alignment', 'stroke', 'animation', 'ellipsis'], path, ctx.problems);
  const out: JsonObject = { type: 'text', text: typeof a.text === 'string' ? a.text : '' };
  // Shotstack's text animation has one preset, typewriter: letters appear one at a time over `duration`.
  if (a.animation !== undefined) {
    const an = a.animation;
    subKeys(a, { animation: ['preset', 'duration'] }, path, ctx.problems);
    if (!isObject(an) || an.preset !== 'typewriter') ctx.problems.add([...path, 'animation', 'preset'], `"${isObject(an) ? String(an.preset) : ''}" is not a text animation preset: use typewriter.`);
    else {
      if (an.duration !== undefined && !(typeof an.duration === 'number' && an.duration > 0)) ctx.problems.add([...path, 'animation', 'duration'], 'must be seconds > 0.');
      out.animation = { in: { style: 'typewriter', by: 'letter', ...(typeof an.duration === 'number' && an.duration > 0 ? { duration: an.duration } : {}) } };
    }
  }
  if (a.ellipsis !== undefined) ctx.problems.add([...path, 'ellipsis'], 'is not supported: Montage does not cut overflowing text with an ellipsis; remove it and keep the text short enough for its box (Montage wraps it inside the width of the box).');
  if (typeof a.text !== 'string') ctx.problems.add([...path, 'text'], 'must be a string.');
  const font = mapFont(a.font, [...path, 'font'], ctx, ['family', 'color', 'opacity', 'size', 'weight', 'lineHeight']);
  if (Object.keys(font).length) out.font = font;
  box(out, a.width ?? clipBox.width, a.height ?? clipBox.height, ctx);
  subKeys(a, { background: ['color', 'opacity', 'padding', 'borderRadius'], alignment: ['horizontal', 'vertical'], stroke: ['color', 'width'] }, path, ctx.problems);
  if (isObject(a.background)) {
    const c = colour(a.background.color, [...path, 'background', 'color'], ctx.problems, a.background.opacity);
    const radius = typeof a.background.borderRadius === 'number' ? a.background.borderRadius : 0;
    if (c) out.background = radius > 0 ? { color: c, radius } : c;
    if (typeof a.background.padding === 'number') out.padding = a.background.padding;
  }
  if (isObject(a.alignment)) {
    const h = alignH(a.alignment.horizontal, [...path, 'alignment', 'horizontal'], ctx.problems);
    const v = alignV(a.alignment.vertical, [...path, 'alignment', 'vertical'], ctx.problems);
    if (h) out.align = h;
    if (v) { out.verticalAlign = v; out.height ??= 1; }
  }
  if (isObject(a.stroke)) {
    const c = colour(a.stroke.color, [...path, 'stroke', 'color'], ctx.problems);
    if (c && typeof a.stroke.width === 'number') out.stroke = { color: c, width: a.stroke.width };
  }
  return out;
}

/** Pixel box → Montage's fractions of the frame. */
function box(out: JsonObject, w: unknown, h: unknown, ctx: TextContext): void {
  if (typeof w === 'number' && w > 0) out.width = Math.min(1, Math.round((w / ctx.width) * 10000) / 10000);
  if (typeof h === 'number' && h > 0) out.height = Math.min(1, Math.round((h / ctx.height) * 10000) / 10000);
}

/** rich-text animation presets → Montage text animation. */
const PRESETS: Record<string, (direction: unknown) => JsonObject> = {
  fadeIn: () => ({ style: 'fade', by: 'word' }),
  typewriter: () => ({ style: 'typewriter', by: 'letter' }),
  ascend: () => ({ style: 'slideUp', by: 'word' }),
  shift: () => ({ style: 'slideLeft', by: 'word' }),
  movingLetters: () => ({ style: 'slideUp', by: 'letter' }),
  slideIn: (d) => ({ style: d === 'right' ? 'slideRight' : d === 'up' ? 'slideUp' : d === 'down' ? 'slideDown' : 'slideLeft', by: 'word' }),
};

/** Shotstack's default rich-text font size, px. */
const RICH_TEXT_SIZE = 24;

/** `rich-text`: font, style (letterSpacing, lineHeight, textTransform, gradient), stroke, shadow, background, align, animation. */
export function mapRichText(a: JsonObject, path: EditPath, ctx: TextContext, clipBox: { width?: unknown; height?: unknown }): JsonObject {
  checkKeys(a, ['type', 'text', 'font', 'style', 'stroke', 'shadow', 'background', 'padding', 'align', 'animation'], path, ctx.problems);
  const out: JsonObject = { type: 'text', text: typeof a.text === 'string' ? a.text : '' };
  if (typeof a.text !== 'string') ctx.problems.add([...path, 'text'], 'must be a string.');
  const font = mapFont(a.font, [...path, 'font'], ctx, ['family', 'color', 'opacity', 'size', 'weight', 'lineHeight']);
  // Shotstack's rich-text font size defaults to 24 px (its API's RichTextFont); Montage's text to 48.
  font.size ??= RICH_TEXT_SIZE;
  if (isObject(a.style)) {
    const s = a.style;
    checkKeys(s, ['letterSpacing', 'lineHeight', 'textTransform', 'gradient'], [...path, 'style'], ctx.problems);
    if (typeof s.letterSpacing === 'number') font.letterSpacing = s.letterSpacing;
    if (typeof s.lineHeight === 'number') font.lineHeight = s.lineHeight;
    if (s.textTransform !== undefined) {
      if (['uppercase', 'lowercase', 'capitalize', 'none'].includes(String(s.textTransform))) out.transform = s.textTransform;
      else ctx.problems.add([...path, 'style', 'textTransform'], `"${String(s.textTransform)}" is not supported: use uppercase, lowercase, capitalize or none.`);
    }
    if (s.gradient !== undefined) {
      const g = s.gradient;
      const stops = isObject(g) && Array.isArray(g.stops) ? g.stops : undefined;
      if (!isObject(g) || !stops || stops.length < 2 || stops.length > 5 || (g.type !== undefined && g.type !== 'linear')) {
        ctx.problems.add([...path, 'style', 'gradient'], 'must be a linear gradient with 2 to 5 stops {offset, color}: Montage spreads the colours evenly and has no radial gradient.');
      } else {
        const colors = stops.map((st, i) => colour(isObject(st) ? st.color : undefined, [...path, 'style', 'gradient', 'stops', i, 'color'], ctx.problems)).filter(Boolean);
        font.gradient = { colors, ...(typeof g.angle === 'number' ? { angle: g.angle } : {}) };
      }
    }
  } else if (a.style !== undefined) ctx.problems.add([...path, 'style'], 'must be an object.');
  if (Object.keys(font).length) out.font = font;
  box(out, clipBox.width, clipBox.height, ctx);
  subKeys(a, {
    stroke: ['color', 'width', 'opacity'], shadow: ['offsetX', 'offsetY', 'blur', 'color', 'opacity'], background: ['color', 'opacity', 'borderRadius', 'wrap'],
    padding: ['top', 'right', 'bottom', 'left'], align: ['horizontal', 'vertical'], animation: ['preset', 'direction', 'duration', 'style', 'speed'],
  }, path, ctx.problems);
  if (isObject(a.stroke)) {
    const c = colour(a.stroke.color, [...path, 'stroke', 'color'], ctx.problems, a.stroke.opacity);
    if (c && typeof a.stroke.width === 'number') out.stroke = { color: c, width: a.stroke.width };
  }
  if (isObject(a.shadow)) {
    const c = colour(a.shadow.color ?? '#000000', [...path, 'shadow', 'color'], ctx.problems, a.shadow.opacity);
    if (c) out.shadow = { color: c, blur: typeof a.shadow.blur === 'number' ? a.shadow.blur : 0, x: typeof a.shadow.offsetX === 'number' ? a.shadow.offsetX : 0, y: typeof a.shadow.offsetY === 'number' ? a.shadow.offsetY : 0 };
  }
  if (isObject(a.background)) {
    const c = colour(a.background.color, [...path, 'background', 'color'], ctx.problems, a.background.opacity);
    const radius = typeof a.background.borderRadius === 'number' ? a.background.borderRadius : 0;
    if (c) out.background = radius > 0 ? { color: c, radius } : c;
    // Montage's text background always hugs the words (render-text.ts): Shotstack's wrap: true.
    if (a.background.wrap !== undefined && a.background.wrap !== true) {
      ctx.problems.add([...path, 'background', 'wrap'], 'only true is supported: Montage\'s text background ends where the words end; for a box the size of the clip, put a "shape" rectangle clip beneath the text.');
    }
  }
  if (typeof a.padding === 'number') out.padding = a.padding;
  else if (isObject(a.padding)) {
    const values = ['top', 'right', 'bottom', 'left'].map((k) => (a.padding as JsonObject)[k]).filter((x) => typeof x === 'number') as number[];
    if (values.length) out.padding = Math.max(...values);
  }
  if (isObject(a.align)) {
    const h = alignH(a.align.horizontal, [...path, 'align', 'horizontal'], ctx.problems);
    const v = alignV(a.align.vertical, [...path, 'align', 'vertical'], ctx.problems);
    if (h) out.align = h;
    if (v) { out.verticalAlign = v; out.height ??= 1; }
  }
  if (a.animation !== undefined) {
    const an = a.animation;
    const preset = isObject(an) && typeof an.preset === 'string' ? PRESETS[an.preset] : undefined;
    if (!isObject(an) || !preset) {
      ctx.problems.add([...path, 'animation', 'preset'], `"${isObject(an) ? String(an.preset) : ''}" is not supported: use ${Object.keys(PRESETS).join(', ')}.`);
    } else {
      const by = an.style === 'character' ? 'letter' : an.style === 'word' ? 'word' : undefined;
      if (an.style !== undefined && !by) ctx.problems.add([...path, 'animation', 'style'], `"${String(an.style)}" is not an animation style: use character or word.`);
      if (an.speed !== undefined && an.speed !== 1) ctx.problems.add([...path, 'animation', 'speed'], 'is not supported: Montage times a text animation by its "duration" (seconds from the first unit to the last); give that instead.');
      if (an.duration !== undefined && !(typeof an.duration === 'number' && an.duration > 0)) ctx.problems.add([...path, 'animation', 'duration'], 'must be seconds > 0.');
      out.animation = { in: { ...preset(an.direction), ...(by ? { by } : {}), ...(typeof an.duration === 'number' && an.duration > 0 ? { duration: an.duration } : {}) } };
    }
  }
  return out;
}

/** `caption` and `rich-caption`: SRT/VTT (or a transcript) with text styling; an `active` style highlights the spoken word. */
export function mapCaption(a: JsonObject, path: EditPath, ctx: TextContext, rich: boolean): { asset: JsonObject; offset?: { x: number; y: number } } {
  checkKeys(a, rich ? ['type', 'src', 'font', 'stroke', 'background', 'padding', 'align', 'active', 'animation'] : ['type', 'src', 'font', 'background', 'margin', 'trim', 'speed'], path, ctx.problems);
  const out: JsonObject = { type: 'captions' };
  if (typeof a.src !== 'string') ctx.problems.add([...path, 'src'], 'must be the URL of an SRT or VTT file.');
  else out.src = a.src;
  const font = mapFont(a.font, [...path, 'font'], ctx, ['family', 'color', 'opacity', 'size', 'weight', 'lineHeight', 'stroke', 'strokeWidth']);
  if (isObject(a.font) && a.font.stroke !== undefined) {
    const c = colour(a.font.stroke, [...path, 'font', 'stroke'], ctx.problems);
    if (c) out.stroke = { color: c, width: typeof a.font.strokeWidth === 'number' ? a.font.strokeWidth : 1 };
  }
  if (Object.keys(font).length) out.font = font;
  subKeys(a, { stroke: ['color', 'width'], background: ['color', 'opacity', 'padding', 'borderRadius'], align: ['horizontal', 'vertical'], ...(rich ? {} : { margin: ['top', 'left', 'right'] }) }, path, ctx.problems);
  if (isObject(a.stroke)) {
    const c = colour(a.stroke.color, [...path, 'stroke', 'color'], ctx.problems);
    if (c && typeof a.stroke.width === 'number') out.stroke = { color: c, width: a.stroke.width };
  }
  if (isObject(a.background)) {
    const c = colour(a.background.color, [...path, 'background', 'color'], ctx.problems, a.background.opacity);
    const radius = typeof a.background.borderRadius === 'number' ? a.background.borderRadius : 0;
    if (c) out.background = radius > 0 ? { color: c, radius } : c;
    if (typeof a.background.padding === 'number') out.padding = a.background.padding;
  }
  if (typeof a.padding === 'number') out.padding = a.padding;
  else if (a.padding !== undefined) ctx.problems.add([...path, 'padding'], 'must be a number of px.');
  if (isObject(a.align)) {
    const h = alignH(a.align.horizontal, [...path, 'align', 'horizontal'], ctx.problems);
    if (h) out.align = h;
    // Captions sit at the bottom; the clip's "position" moves them (Montage has no vertical caption alignment).
    if (a.align.vertical !== undefined && a.align.vertical !== 'bottom') ctx.problems.add([...path, 'align', 'vertical'], `"${String(a.align.vertical)}" is not supported: captions sit at the bottom of the frame in Montage; give the clip "position": "top" or "center" instead.`);
  }
  for (const k of ['trim', 'speed'] as const) {
    const neutral = k === 'trim' ? 0 : 1;
    if (a[k] !== undefined && a[k] !== neutral) ctx.problems.add([...path, k], `is not supported: shift the clip's start instead of trimming or speeding its captions.`);
  }
  let offset: { x: number; y: number } | undefined;
  if (isObject(a.margin)) {
    const m = a.margin as Record<string, unknown>;
    const n = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : 0);
    offset = { x: Math.round(((n('left') - n('right')) / 2 / ctx.width) * 10000) / 10000, y: Math.round((-0.05 + n('top') / ctx.height) * 10000) / 10000 };
  }
  if (rich && a.active !== undefined) {
    const act = a.active;
    if (!isObject(act)) ctx.problems.add([...path, 'active'], 'must be an object.');
    else {
      checkKeys(act, ['font', 'background', 'scale'], [...path, 'active'], ctx.problems);
      const c = isObject(act.font) ? colour(act.font.color, [...path, 'active', 'font', 'color'], ctx.problems) : undefined;
      const bg = isObject(act.background) ? colour(act.background.color, [...path, 'active', 'background', 'color'], ctx.problems) : undefined;
      if (bg) out.highlight = { style: 'background', background: bg, ...(c ? { color: c } : {}) };
      else if (typeof act.scale === 'number' && act.scale !== 1) out.highlight = { style: 'scale', scale: act.scale, ...(c ? { color: c } : {}) };
      else out.highlight = { style: 'color', ...(c ? { color: c } : {}) };
    }
  }
  if (rich && a.animation !== undefined) {
    const an = a.animation;
    if (isObject(an) && an.style === 'karaoke') out.highlight = { ...(isObject(out.highlight) ? out.highlight : {}), style: 'karaoke' };
    else ctx.problems.add([...path, 'animation'], 'only {"style": "karaoke"} is supported for rich captions; use "active" for a highlighted word.');
  }
  return { asset: out, offset };
}
