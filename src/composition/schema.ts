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
export const TEXT_ANIMATION_STYLES = ['typewriter', 'fade', 'slideUp', 'slideDown', 'slideLeft', 'slideRight', 'pop', 'blur'] as const;
export const TEXT_ANIMATION_UNITS = ['letter', 'word', 'line'] as const;
export const HIGHLIGHT_STYLES = ['color', 'background', 'scale', 'karaoke'] as const;

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

/** One direction of a text animation (1.1): how the units of the text come in (or go out). */
export const TextAnimationPart = closed({
  style: enumOf(TEXT_ANIMATION_STYLES, 'how each unit appears: typewriter (no motion), fade, slides, pop (grows with an overshoot) or blur (comes into focus)'),
  by: Type.Optional(enumOf(TEXT_ANIMATION_UNITS, 'the unit that moves: letter, word or line (default word; letter for typewriter)')),
  duration: Type.Optional(PositiveSeconds('from the first unit\'s start to the last unit\'s end (default 0.6)')),
  easing: Type.Optional(enumOf(EASINGS, 'curve of each unit\'s motion (default easeOut)')),
});
export const TextAnimation = closed({
  in: Type.Optional(TextAnimationPart),
  out: Type.Optional(TextAnimationPart),
}, { description: 'animates the text unit by unit; `out` plays the same in reverse order over the clip\'s last `duration` seconds' });

/** Text styling shared by `text` and `captions` assets. */
const textStyle = {
  font: Type.Optional(Font),
  align: Type.Optional(enumOf(ALIGNS, 'horizontal alignment of the lines')),
  width: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'wrapping width as a fraction of the frame width (default 0.9)' })),
  background: Type.Optional(Colour),
  padding: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'padding around the text in pixels' })),
  stroke: Type.Optional(Stroke),
  shadow: Type.Optional(Shadow),
  animation: Type.Optional(TextAnimation),
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
  src: Src('png, jpg, webp or gif (first frame)'),
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
  text: Type.String({ maxLength: 10000, description: 'the text; \\n breaks a line' }),
  ...textStyle,
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
export const CaptionWord = closed({
  text: Type.String({ minLength: 1, maxLength: 200, description: 'the word as spoken' }),
  start: Seconds('when the word starts, relative to the clip start'),
  end: Seconds('when the word ends, relative to the clip start'),
});
export const CaptionHighlight = closed({
  style: enumOf(HIGHLIGHT_STYLES, 'color recolours the spoken word, background puts a rounded box behind it, scale enlarges it, karaoke fills the words as they are spoken'),
  color: Type.Optional(Colour),
  background: Type.Optional(Colour),
  scale: Type.Optional(Type.Number({ minimum: 0.5, maximum: 3, description: 'size of the spoken word for style scale (default 1.15)' })),
}, { description: 'styles the word being spoken' });
export const CaptionsAsset = closed({
  type: Type.Literal('captions'),
  src: Type.Optional(Src('SRT, WebVTT, or a JSON transcript (OpenAI Whisper verbose_json, or an array of {text, start, end} words)')),
  cues: Type.Optional(Type.Array(Cue, { maxItems: 5000 })),
  words: Type.Optional(Type.Array(CaptionWord, { maxItems: 50000, description: 'word timings, as speech recognition gives them' })),
  lines: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'the most lines a caption page shows (default 2)' })),
  highlight: Type.Optional(CaptionHighlight),
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
export type CaptionWord = Static<typeof CaptionWord>;
export type CaptionHighlight = Static<typeof CaptionHighlight>;
export type TextAnimation = Static<typeof TextAnimation>;
export type TextAnimationPart = Static<typeof TextAnimationPart>;
export type TextAnimationStyle = (typeof TEXT_ANIMATION_STYLES)[number];
export type TextAnimationUnit = (typeof TEXT_ANIMATION_UNITS)[number];
export type Keyframe = Static<typeof Keyframe>;
export type Soundtrack = Static<typeof Soundtrack>;
export type Font = Static<typeof Font>;
export type Stroke = Static<typeof Stroke>;
export type Shadow = Static<typeof Shadow>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Quality = (typeof QUALITIES)[number];
export type Fit = (typeof FITS)[number];
export type Position = (typeof POSITIONS)[number];
export type TransitionKind = (typeof TRANSITIONS)[number];
export type EffectKind = (typeof EFFECTS)[number];
export type FilterKind = (typeof FILTERS)[number];
export type Easing = (typeof EASINGS)[number];
export type Align = (typeof ALIGNS)[number];
