/**
 * The composition format, version 1 (../shared/COMPOSITION.md), as one TypeBox schema.
 *
 * This single source drives runtime validation, the TypeScript types, the published JSON Schema
 * (schema/composition.schema.json) and the OpenAPI document. Every object is closed
 * (`additionalProperties: false`): a typo is an error, never silently ignored.
 *
 * Units: times are seconds (decimals allowed), sizes are output pixels unless a field says
 * "fraction", colours are CSS hex strings.
 */
import { Type, type Static, type ObjectOptions, type TProperties } from '@sinclair/typebox';

const closed = <T extends TProperties>(props: T, opts: ObjectOptions = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

export const Colour = Type.String({
  pattern: '^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$',
  description: 'CSS hex colour: #rgb, #rrggbb or #rrggbbaa',
  examples: ['#ffffff', '#000000aa'],
});
const Seconds = (description: string, opts: object = {}) =>
  Type.Number({ minimum: 0, maximum: 86400, description, ...opts });
const PositiveSeconds = (description: string) =>
  Type.Number({ exclusiveMinimum: 0, maximum: 86400, description });
const Src = (description: string) => Type.String({ minLength: 1, maxLength: 4096, description });

export const OUTPUT_FORMATS = ['mp4', 'webm', 'gif', 'mp3', 'wav', 'png', 'jpg'] as const;
export const QUALITIES = ['draft', 'low', 'medium', 'high'] as const;
export const FITS = ['cover', 'contain', 'fill', 'none'] as const;
export const POSITIONS = [
  'center', 'top', 'bottom', 'left', 'right', 'topLeft', 'topRight', 'bottomLeft', 'bottomRight',
] as const;
export const TRANSITIONS = [
  'fade', 'wipeLeft', 'wipeRight', 'wipeUp', 'wipeDown',
  'slideLeft', 'slideRight', 'slideUp', 'slideDown', 'zoom',
] as const;
export const EFFECTS = ['zoomIn', 'zoomOut', 'panLeft', 'panRight', 'panUp', 'panDown'] as const;
export const FILTERS = ['grayscale', 'sepia', 'blur', 'brighten', 'darken', 'contrast', 'invert'] as const;
export const EASINGS = ['linear', 'easeIn', 'easeOut', 'easeInOut'] as const;
export const ALIGNS = ['left', 'center', 'right'] as const;
export const FONT_STYLES = ['normal', 'italic'] as const;
export const VERTICAL_ALIGNS = ['top', 'middle', 'bottom'] as const;
export const TEXT_TRANSFORMS = ['none', 'uppercase', 'lowercase', 'capitalize'] as const;

/** A closed set of strings, published as a plain JSON Schema `enum` (best for editors and messages). */
const enumOf = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const Output = closed({
  format: Type.Optional(enumOf(OUTPUT_FORMATS, 'mp4 = H.264 + AAC; webm = VP9 + Opus; mp3/wav = audio only; png/jpg = one still frame')),
  width: Type.Optional(Type.Integer({ minimum: 16, maximum: 3840, description: 'frame width in pixels (even for mp4 and webm)' })),
  height: Type.Optional(Type.Integer({ minimum: 16, maximum: 3840, description: 'frame height in pixels (even for mp4 and webm)' })),
  fps: Type.Optional(Type.Number({ minimum: 1, maximum: 60, description: 'frames per second (gif: at most 30)' })),
  quality: Type.Optional(enumOf(QUALITIES, 'speed/size trade-off; draft is for previews')),
  duration: Type.Optional(PositiveSeconds('explicit length of the timeline; default: end of the last clip')),
  range: Type.Optional(closed({
    start: Seconds('where the rendered part begins on the timeline'),
    length: PositiveSeconds('how long the rendered part lasts'),
  }, { description: 'render only this part of the timeline' })),
  frame: Type.Optional(Seconds('the instant captured for png/jpg')),
  poster: Type.Optional(closed({ time: Seconds('instant of the poster frame') }, { description: 'also produce a JPG poster frame' })),
  thumbnail: Type.Optional(closed({
    time: Seconds('instant of the thumbnail'),
    width: Type.Integer({ minimum: 16, maximum: 3840, description: 'thumbnail width in pixels; height follows the aspect ratio' }),
  }, { description: 'also produce a small JPG' })),
}, { description: 'what to produce' });

export const Font = closed({
  family: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'font family: a bundled one (default "DejaVu Sans") or one declared in fonts' })),
  size: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: 'size in output pixels (default 48)' })),
  weight: Type.Optional(Type.Union([
    Type.Integer({ minimum: 100, maximum: 900 }), Type.Literal('normal'), Type.Literal('bold'),
  ], { description: '100–900, "normal" (400) or "bold" (700)' })),
  color: Type.Optional(Colour),
  lineHeight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10, description: 'line height as a multiple of the size (default 1.2)' })),
  style: Type.Optional(enumOf(FONT_STYLES, 'normal or italic (a family without an italic face is slanted)')),
  letterSpacing: Type.Optional(Type.Number({ minimum: -500, maximum: 500, description: 'extra space after every character in pixels; may be negative' })),
  gradient: Type.Optional(closed({
    colors: Type.Array(Colour, { minItems: 2, maxItems: 5, description: '2–5 colours spread evenly along the gradient; for one colour use font.color instead' }),
    angle: Type.Optional(Type.Number({ minimum: -360, maximum: 360, description: 'direction in CSS degrees: 180 (default) = top to bottom, 90 = left to right' })),
  }, { description: 'fills the glyphs with a linear gradient instead of color' })),
});

export const Stroke = closed({
  color: Colour,
  width: Type.Number({ minimum: 0, maximum: 500, description: 'stroke width in pixels' }),
});
export const Shadow = closed({
  color: Colour,
  blur: Type.Optional(Type.Number({ minimum: 0, maximum: 500, description: 'blur radius in pixels' })),
  x: Type.Optional(Type.Number({ minimum: -2000, maximum: 2000, description: 'horizontal offset in pixels' })),
  y: Type.Optional(Type.Number({ minimum: -2000, maximum: 2000, description: 'vertical offset in pixels' })),
});

/** A text background: a colour, or a colour with rounded corners. */
export const TextBackground = Type.Union([Colour, closed({
  color: Colour,
  radius: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'corner radius in pixels' })),
})], { description: 'a colour, or {color, radius} for rounded corners' });

/** One styled stretch of a text asset's text. */
export const TextSpan = closed({
  text: Type.String({ maxLength: 10000, description: 'the span’s text (not empty); \\n breaks a line' }),
  font: Type.Optional(Font),
  background: Type.Optional(TextBackground),
}, { description: 'a span: its font fields override the asset’s for this text only' });

/** Text styling shared by `text` and `captions` assets. */
const textStyle = {
  font: Type.Optional(Font),
  align: Type.Optional(enumOf(ALIGNS, 'horizontal alignment of the lines')),
  width: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'wrapping width as a fraction of the frame width (default 0.9)' })),
  background: Type.Optional(TextBackground),
  padding: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'padding around the text in pixels' })),
  stroke: Type.Optional(Stroke),
  shadow: Type.Optional(Shadow),
  transform: Type.Optional(enumOf(TEXT_TRANSFORMS, 'case change applied after placeholders, by the text’s language rules')),
};

const trim = Type.Optional(Seconds('seconds skipped at the start of the source'));
const volume = Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: 'gain, 1 = unchanged' }));
const speed = Type.Optional(Type.Number({ minimum: 0.25, maximum: 4, description: 'playback speed, 1 = normal' }));

export const VideoAsset = closed({
  type: Type.Literal('video'),
  src: Src('https:// URL, asset:ID, or (CLI only) a path relative to the composition file'),
  trim, volume, speed,
  muted: Type.Optional(Type.Boolean({ description: 'drop the clip’s own sound' })),
});
export const ImageAsset = closed({
  type: Type.Literal('image'),
  src: Src('png, jpg, webp, gif (first frame) or svg (drawn at the size it is shown)'),
});
export const AudioAsset = closed({
  type: Type.Literal('audio'),
  src: Src('audio file'),
  trim, volume, speed,
  fadeIn: Type.Optional(Seconds('fade-in length')),
  fadeOut: Type.Optional(Seconds('fade-out length')),
});
export const TextAsset = closed({
  type: Type.Literal('text'),
  text: Type.Union([
    Type.String({ maxLength: 10000, description: 'the text; \\n breaks a line' }),
    Type.Array(TextSpan, { minItems: 1, maxItems: 500, description: 'styled spans, drawn one after another' }),
  ], { description: 'the text, or an array of spans {text, font?, background?}' }),
  ...textStyle,
  height: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'text box height as a fraction of the frame height' })),
  verticalAlign: Type.Optional(enumOf(VERTICAL_ALIGNS, 'where the lines sit inside height (default middle)')),
  shrink: Type.Optional(Type.Boolean({ description: 'reduce the size (down to minSize) until the text fits width × height without breaking a word' })),
  minSize: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000, description: 'smallest size shrink may use, in pixels (default 12)' })),
});
export const ShapeAsset = closed({
  type: Type.Literal('shape'),
  shape: enumOf(['rectangle', 'circle'] as const, 'rectangle or circle'),
  width: Type.Number({ exclusiveMinimum: 0, maximum: 7680, description: 'width in pixels' }),
  height: Type.Number({ exclusiveMinimum: 0, maximum: 7680, description: 'height in pixels' }),
  fill: Type.Optional(Colour),
  radius: Type.Optional(Type.Number({ minimum: 0, maximum: 4000, description: 'corner radius in pixels (rectangle)' })),
  stroke: Type.Optional(Stroke),
});
export const ColorAsset = closed({
  type: Type.Literal('color'),
  color: Colour,
});
export const Cue = closed({
  start: Seconds('cue start, relative to the clip start'),
  end: Seconds('cue end, relative to the clip start'),
  text: Type.String({ maxLength: 2000 }),
});
export const CaptionsAsset = closed({
  type: Type.Literal('captions'),
  src: Type.Optional(Src('SRT or WebVTT file')),
  cues: Type.Optional(Type.Array(Cue, { maxItems: 5000 })),
  ...textStyle,
});

export const ASSET_SCHEMAS = {
  video: VideoAsset, image: ImageAsset, audio: AudioAsset, text: TextAsset,
  shape: ShapeAsset, color: ColorAsset, captions: CaptionsAsset,
} as const;
export type AssetType = keyof typeof ASSET_SCHEMAS;
export const ASSET_TYPES = Object.keys(ASSET_SCHEMAS) as AssetType[];

/**
 * A discriminated union on `type` (JSON Schema `oneOf` + OpenAPI `discriminator`), so a validator
 * reports the problems of the chosen kind only, not of all seven.
 */
export const Asset = Type.Unsafe<
  Static<typeof VideoAsset> | Static<typeof ImageAsset> | Static<typeof AudioAsset> | Static<typeof TextAsset> |
  Static<typeof ShapeAsset> | Static<typeof ColorAsset> | Static<typeof CaptionsAsset>
>({
  type: 'object',
  description: 'what the clip shows or plays; `type` selects the kind',
  discriminator: { propertyName: 'type' },
  required: ['type'],
  oneOf: Object.values(ASSET_SCHEMAS),
});

export const Keyframe = closed({
  time: Seconds('relative to the clip start'),
  value: Type.Number(),
  easing: Type.Optional(enumOf(EASINGS, 'easing from this key to the next (default linear)')),
});
const keyList = (description: string) => Type.Optional(Type.Array(Keyframe, { minItems: 1, maxItems: 1000, description }));
export const Keyframes = closed({
  opacity: keyList('0–1'),
  scale: keyList('multiplier of the fitted size'),
  x: keyList('horizontal offset as a fraction of the frame width'),
  y: keyList('vertical offset as a fraction of the frame height'),
  rotate: keyList('degrees clockwise'),
});

export const Transition = closed({
  in: Type.Optional(enumOf(TRANSITIONS, 'plays over the first `duration` seconds of the clip')),
  out: Type.Optional(enumOf(TRANSITIONS, 'plays over the last `duration` seconds of the clip')),
  duration: Type.Optional(PositiveSeconds('length of each transition (default 0.5)')),
});

export const Clip = closed({
  asset: Asset,
  start: Seconds('when the clip begins on the timeline'),
  length: Type.Union([PositiveSeconds('seconds'), Type.Literal('auto')], {
    description: 'seconds > 0, or "auto" (video and audio only) for the source length after trim and speed',
  }),
  fit: Type.Optional(enumOf(FITS, 'how a visual asset is sized into the frame')),
  scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'multiplies the fitted size' })),
  position: Type.Optional(enumOf(POSITIONS, 'anchor in the frame')),
  offset: Type.Optional(closed({
    x: Type.Optional(Type.Number({ minimum: -1, maximum: 1, description: 'fraction of the frame width, +x right' })),
    y: Type.Optional(Type.Number({ minimum: -1, maximum: 1, description: 'fraction of the frame height, +y down' })),
  })),
  opacity: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  rotate: Type.Optional(Type.Number({ minimum: -3600, maximum: 3600, description: 'degrees clockwise' })),
  transition: Type.Optional(Transition),
  effect: Type.Optional(enumOf(EFFECTS, 'Ken Burns motion across the whole clip')),
  filter: Type.Optional(enumOf(FILTERS, 'colour filter')),
  keyframes: Type.Optional(Keyframes),
});

export const Track = closed({
  clips: Type.Array(Clip, { maxItems: 1000, description: 'clips of this layer; later clips draw on top' }),
});

export const Soundtrack = closed({
  src: Src('music file'),
  volume,
  trim,
  fadeIn: Type.Optional(Seconds('fade-in length')),
  fadeOut: Type.Optional(Seconds('fade-out length')),
  loop: Type.Optional(Type.Boolean({ description: 'loop to fill the timeline (default true)' })),
  duck: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'soundtrack gain while a clip’s own sound plays' })),
});

export const FontSource = closed({
  family: Type.String({ minLength: 1, maxLength: 200 }),
  src: Src('TTF, OTF or WOFF2 file'),
});

export const MergeValues = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9_.\\-]+$', maxLength: 100 }),
  Type.Union([Type.String({ maxLength: 10000 }), Type.Number(), Type.Boolean()]),
  { description: 'values for {{NAME}} placeholders', additionalProperties: false },
);

export const Composition = closed({
  $schema: Type.Optional(Type.String({ description: 'editor hint; ignored' })),
  version: Type.Optional(Type.Literal(1)),
  output: Output,
  background: Type.Optional(Colour),
  tracks: Type.Array(Track, { minItems: 1, maxItems: 100, description: 'layers; a later track is drawn over an earlier one' }),
  soundtrack: Type.Optional(Soundtrack),
  fonts: Type.Optional(Type.Array(FontSource, { maxItems: 50 })),
  merge: Type.Optional(MergeValues),
}, {
  $id: 'https://montage.dev/schema/composition.schema.json',
  title: 'Montage composition',
  description: 'A Montage composition, format version 1',
});

export type Composition = Static<typeof Composition>;
export type Output = Static<typeof Output>;
export type Clip = Static<typeof Clip>;
export type Track = Static<typeof Track>;
export type Asset = Static<typeof Asset>;
export type VideoAsset = Static<typeof VideoAsset>;
export type ImageAsset = Static<typeof ImageAsset>;
export type AudioAsset = Static<typeof AudioAsset>;
export type TextAsset = Static<typeof TextAsset>;
export type ShapeAsset = Static<typeof ShapeAsset>;
export type ColorAsset = Static<typeof ColorAsset>;
export type CaptionsAsset = Static<typeof CaptionsAsset>;
export type Cue = Static<typeof Cue>;
export type Keyframe = Static<typeof Keyframe>;
export type Soundtrack = Static<typeof Soundtrack>;
export type Font = Static<typeof Font>;
export type Stroke = Static<typeof Stroke>;
export type Shadow = Static<typeof Shadow>;
export type TextSpan = Static<typeof TextSpan>;
export type TextBackground = Static<typeof TextBackground>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Quality = (typeof QUALITIES)[number];
export type Fit = (typeof FITS)[number];
export type Position = (typeof POSITIONS)[number];
export type TransitionKind = (typeof TRANSITIONS)[number];
export type EffectKind = (typeof EFFECTS)[number];
export type FilterKind = (typeof FILTERS)[number];
export type Easing = (typeof EASINGS)[number];
export type Align = (typeof ALIGNS)[number];
