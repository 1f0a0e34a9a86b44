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

export const OUTPUT_FORMATS = ['mp4', 'webm', 'mov', 'gif', 'mp3', 'wav', 'png', 'jpg'] as const;
export const QUALITIES = ['draft', 'low', 'medium', 'high'] as const;
export const FITS = ['cover', 'contain', 'fill', 'none'] as const;
export const POSITIONS = [
  'center', 'top', 'bottom', 'left', 'right', 'topLeft', 'topRight', 'bottomLeft', 'bottomRight',
] as const;
export const TRANSITIONS = [
  'fade', 'wipeLeft', 'wipeRight', 'wipeUp', 'wipeDown',
  'slideLeft', 'slideRight', 'slideUp', 'slideDown', 'zoom',
  // (1.1)
  'wipeUpLeft', 'wipeUpRight', 'wipeDownLeft', 'wipeDownRight', 'iris', 'clock', 'barnDoorHorizontal', 'barnDoorVertical',
  'dissolve', 'blur', 'pixelate', 'spin', 'flipX', 'flipY', 'pop',
] as const;
export const EFFECTS = ['zoomIn', 'zoomOut', 'panLeft', 'panRight', 'panUp', 'panDown'] as const;
export const FILTERS = ['grayscale', 'sepia', 'blur', 'brighten', 'darken', 'contrast', 'invert'] as const;
const PENNER_FAMILIES = ['Sine', 'Quad', 'Cubic', 'Quart', 'Quint', 'Expo', 'Circ', 'Back', 'Elastic', 'Bounce'] as const;
type PennerFamily = (typeof PENNER_FAMILIES)[number];
/** (1.1) The Penner set, named as on easings.net: easeInSine … easeInOutBounce. */
export const PENNER_EASINGS = PENNER_FAMILIES.flatMap((f) => [`easeIn${f}`, `easeOut${f}`, `easeInOut${f}`] as const) as
  ReadonlyArray<`easeIn${PennerFamily}` | `easeOut${PennerFamily}` | `easeInOut${PennerFamily}`>;
export const EASINGS = ['linear', 'easeIn', 'easeOut', 'easeInOut', ...PENNER_EASINGS, 'hold'] as const;
export const ALIGNS = ['left', 'center', 'right'] as const;
export const TEXT_ANIMATION_STYLES = ['typewriter', 'fade', 'slideUp', 'slideDown', 'slideLeft', 'slideRight', 'pop', 'blur'] as const;
export const TEXT_ANIMATION_UNITS = ['letter', 'word', 'line'] as const;
export const HIGHLIGHT_STYLES = ['color', 'background', 'scale', 'karaoke'] as const;
export const FONT_STYLES = ['normal', 'italic'] as const;
export const VERTICAL_ALIGNS = ['top', 'middle', 'bottom'] as const;
export const TEXT_TRANSFORMS = ['none', 'uppercase', 'lowercase', 'capitalize'] as const;

/** A closed set of strings, published as a plain JSON Schema `enum` (best for editors and messages). */
const enumOf = <T extends readonly string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

export const Output = closed({
  format: Type.Optional(enumOf(OUTPUT_FORMATS, 'mp4 = H.264 + AAC; webm = VP9 + Opus; mov = ProRes 422 HQ + PCM (ProRes 4444 when transparent); mp3/wav = audio only; png/jpg = one still frame')),
  width: Type.Optional(Type.Integer({ minimum: 16, maximum: 3840, description: 'frame width in pixels (even for mp4, webm and mov)' })),
  height: Type.Optional(Type.Integer({ minimum: 16, maximum: 3840, description: 'frame height in pixels (even for mp4, webm and mov)' })),
  fps: Type.Optional(Type.Number({ minimum: 1, maximum: 60, description: 'frames per second (gif: at most 30); 23.976, 29.97 and 59.94 mean exactly 24000/1001, 30000/1001 and 60000/1001' })),
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
  scale: Type.Optional(Type.Number({ minimum: 0.1, maximum: 4, description: 'render at this multiple of the size: width, height and every length in pixels are multiplied (default 1)' })),
  loudness: Type.Optional(Type.Number({ minimum: -70, maximum: -5, description: 'normalize the whole mix to this integrated loudness in LUFS (true peak at most -1 dBTP)' })),
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

/** (1.1) A CSS cubic Bézier `[x1, y1, x2, y2]`: x1 and x2 in 0–1 keep the curve a function of time. */
export const CubicBezier = Type.Unsafe<[number, number, number, number]>({
  type: 'array',
  description: 'CSS cubic-bezier [x1, y1, x2, y2], x1 and x2 in 0–1',
  items: [
    { type: 'number', minimum: 0, maximum: 1 }, { type: 'number', minimum: -10, maximum: 10 },
    { type: 'number', minimum: 0, maximum: 1 }, { type: 'number', minimum: -10, maximum: 10 },
  ],
  minItems: 4,
  maxItems: 4,
  additionalItems: false,
});
const easingOf = (description: string) => Type.Unsafe<EasingName | [number, number, number, number]>({
  description,
  anyOf: [enumOf(EASINGS, 'a named curve'), CubicBezier],
});

/** One direction of a text animation (1.1): how the units of the text come in (or go out). */
export const TextAnimationPart = closed({
  style: enumOf(TEXT_ANIMATION_STYLES, 'how each unit appears: typewriter (no motion), fade, slides, pop (grows with an overshoot) or blur (comes into focus)'),
  by: Type.Optional(enumOf(TEXT_ANIMATION_UNITS, 'the unit that moves: letter, word or line (default word; letter for typewriter)')),
  duration: Type.Optional(PositiveSeconds('from the first unit\'s start to the last unit\'s end (default 0.6)')),
  easing: Type.Optional(easingOf('curve of each unit\'s motion (default easeOut): a name or a cubic-bezier array')),
});
export const TextAnimation = closed({
  in: Type.Optional(TextAnimationPart),
  out: Type.Optional(TextAnimationPart),
}, { description: 'animates the text unit by unit; `out` plays the same in reverse order over the clip\'s last `duration` seconds' });
/** A text background: a colour, or a colour with rounded corners. */
export const TextBackground = Type.Union([Colour, closed({
  color: Colour,
  radius: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'corner radius in pixels' })),
})], { description: 'a colour, or {color, radius} for rounded corners' });

/** Most characters one text holds: its string, or all its spans together (text-problems.ts). */
export const MAX_TEXT_LENGTH = 10000;
/** One styled stretch of a text asset's text. */
export const TextSpan = closed({
  text: Type.String({ maxLength: MAX_TEXT_LENGTH, description: 'the span’s text (not empty); \\n breaks a line' }),
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
  animation: Type.Optional(TextAnimation),
  transform: Type.Optional(enumOf(TEXT_TRANSFORMS, 'case change applied after placeholders, by the text’s language rules')),
};

const trim = Type.Optional(Seconds('seconds skipped at the start of the source'));
const volume = Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: 'gain, 1 = unchanged' }));
const speed = Type.Optional(Type.Number({ minimum: 0.25, maximum: 4, description: 'playback speed, 1 = normal' }));

export const VIDEO_EXTENDS = ['none', 'freeze', 'loop'] as const;
export const AUDIO_EXTENDS = ['none', 'loop'] as const;

export const VideoAsset = closed({
  type: Type.Literal('video'),
  src: Src('https:// URL, asset:ID, or (CLI only) a path relative to the composition file'),
  trim, volume, speed,
  muted: Type.Optional(Type.Boolean({ description: 'drop the clip’s own sound' })),
  extend: Type.Optional(enumOf(VIDEO_EXTENDS, 'what shows when the clip outlasts the source: nothing (none), its last frame (freeze, silent) or the source again from trim (loop, with its sound)')),
  reverse: Type.Optional(Type.Boolean({ description: 'play the trimmed part backwards, sound included (at most 60 s of source after trim)' })),
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
  extend: Type.Optional(enumOf(AUDIO_EXTENDS, 'when the clip outlasts the source: silence (none) or the source again from trim (loop)')),
});
export const TextAsset = closed({
  type: Type.Literal('text'),
  text: Type.Union([
    Type.String({ maxLength: MAX_TEXT_LENGTH, description: 'the text; \\n breaks a line' }),
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
/** Longest cue text and longest word, in characters: inline or read from a captions file. */
export const MAX_CUE_TEXT = 2000;
export const MAX_WORD_TEXT = 200;
export const Cue = closed({
  start: Seconds('cue start, relative to the clip start'),
  end: Seconds('cue end, relative to the clip start'),
  text: Type.String({ maxLength: MAX_CUE_TEXT }),
});
export const CaptionWord = closed({
  text: Type.String({ minLength: 1, maxLength: MAX_WORD_TEXT, description: 'the word as spoken' }),
  start: Seconds('when the word starts, relative to the clip start'),
  end: Seconds('when the word ends, relative to the clip start'),
});
export const CaptionHighlight = closed({
  style: enumOf(HIGHLIGHT_STYLES, 'color recolours the spoken word, background puts a rounded box behind it, scale enlarges it, karaoke fills the words as they are spoken'),
  color: Type.Optional(Colour),
  background: Type.Optional(Colour),
  scale: Type.Optional(Type.Number({ minimum: 0.5, maximum: 3, description: 'size of the spoken word for style scale (default 1.15)' })),
}, { description: 'styles the word being spoken' });
/** Most cues, and most words, one captions clip holds: given inline or read from its `src` file. */
export const MAX_CAPTION_CUES = 5000;
export const MAX_CAPTION_WORDS = 50000;
export const CaptionsAsset = closed({
  type: Type.Literal('captions'),
  src: Type.Optional(Src('SRT, WebVTT, or a JSON transcript (OpenAI Whisper verbose_json, or an array of {text, start, end} words)')),
  cues: Type.Optional(Type.Array(Cue, { maxItems: MAX_CAPTION_CUES })),
  words: Type.Optional(Type.Array(CaptionWord, { maxItems: MAX_CAPTION_WORDS, description: 'word timings, as speech recognition gives them' })),
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
  easing: Type.Optional(easingOf('easing from this key to the next (default linear): a name or a cubic-bezier array')),
});
const keyList = (description: string) => Type.Optional(Type.Array(Keyframe, { minItems: 1, maxItems: 1000, description }));
export const Keyframes = closed({
  opacity: keyList('0–1'),
  scale: keyList('multiplier of the fitted size'),
  x: keyList('horizontal offset as a fraction of the frame width'),
  y: keyList('vertical offset as a fraction of the frame height'),
  rotate: keyList('degrees clockwise'),
  blur: keyList('(1.1) Gaussian blur sigma in px, 0 = sharp'),
  volume: keyList('(1.1) video and audio clips: multiplies the clip\'s volume, 0–2'),
});

export const Transition = closed({
  in: Type.Optional(enumOf(TRANSITIONS, 'plays over the first `duration` seconds of the clip')),
  out: Type.Optional(enumOf(TRANSITIONS, 'plays over the last `duration` seconds of the clip')),
  duration: Type.Optional(PositiveSeconds('length of each transition (default 0.5)')),
  easing: Type.Optional(easingOf('(1.1) replaces the curve of each transition kind: a name or a cubic-bezier array')),
});

/** (1.1) The clip's look: how its picture is cut, keyed, masked, blended and framed. */
export const FLIPS = ['horizontal', 'vertical', 'both'] as const;
export const BLEND_MODES = [
  'normal', 'multiply', 'screen', 'overlay', 'darken', 'lighten', 'colorDodge', 'colorBurn',
  'hardLight', 'softLight', 'difference', 'exclusion', 'add',
] as const;
export const MASK_MODES = ['luma', 'alpha'] as const;
const cropSide = (side: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `fraction of the source cut off the ${side}` }));
export const Crop = closed({
  top: cropSide('top'), bottom: cropSide('bottom'), left: cropSide('left'), right: cropSide('right'),
}, { description: 'cuts these fractions of the source off before it is fitted; some of each axis must remain' });
export const ChromaKey = closed({
  color: Colour,
  similarity: Type.Optional(Type.Number({ minimum: 0.01, maximum: 1, description: 'how close to `color` a pixel must be to become transparent (default 0.3)' })),
  blend: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'width of the soft edge between keyed and kept (default 0.1)' })),
}, { description: 'makes pixels close to `color` transparent (green screen), with a soft edge; video and image' });
export const Mask = closed({
  src: Src('image or video whose light (luma) or opaque (alpha) parts show the clip; stretched over the clip’s box'),
  mode: Type.Optional(enumOf(MASK_MODES, 'luma: light shows the clip; alpha: opaque shows the clip (default luma)')),
  invert: Type.Optional(Type.Boolean({ description: 'show the clip where the mask is dark or transparent instead (default false)' })),
}, { description: 'shows the clip only through the mask; a video mask plays in step with the clip' });
export const Border = closed({
  color: Colour,
  width: Type.Number({ minimum: 0, maximum: 2000, description: 'width in pixels, drawn inside the edge of the clip’s box' }),
}, { description: 'a frame inside the edge of the clip’s box, following `radius`' });

export const Clip = closed({
  asset: Asset,
  start: Type.Union([Seconds('seconds'), Type.Literal('auto')], {
    description: 'when the clip begins on the timeline: seconds ≥ 0, or (1.1) "auto" for the end of the previous clip of the same track (0 for the first)',
  }),
  length: Type.Union([PositiveSeconds('seconds'), Type.Literal('auto'), Type.Literal('end')], {
    description: 'seconds > 0, "auto" (video and audio only) for the source length after trim and speed, or (1.1) "end" for until the end of the timeline',
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
  flip: Type.Optional(enumOf(FLIPS, 'mirrors the picture')),
  crop: Type.Optional(Crop),
  chromaKey: Type.Optional(ChromaKey),
  mask: Type.Optional(Mask),
  blend: Type.Optional(enumOf(BLEND_MODES, 'how the clip combines with what lies beneath, per the W3C compositing spec (default normal)')),
  radius: Type.Optional(Type.Number({ minimum: 0, maximum: 4000, description: 'rounds the corners of the clip’s box, in pixels (video, image, color)' })),
  border: Type.Optional(Border),
  shadow: Type.Optional(Shadow),
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
  background: Type.Optional(Type.Union([Colour, Type.Literal('transparent')], { description: 'what shows where no clip covers the frame; "transparent" needs webm, mov, png or gif' })),
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
export type Flip = (typeof FLIPS)[number];
export type BlendMode = (typeof BLEND_MODES)[number];
export type Crop = Static<typeof Crop>;
export type ChromaKey = Static<typeof ChromaKey>;
export type Mask = Static<typeof Mask>;
export type Border = Static<typeof Border>;
export type TextSpan = Static<typeof TextSpan>;
export type TextBackground = Static<typeof TextBackground>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Quality = (typeof QUALITIES)[number];
export type Fit = (typeof FITS)[number];
export type Position = (typeof POSITIONS)[number];
export type TransitionKind = (typeof TRANSITIONS)[number];
export type EffectKind = (typeof EFFECTS)[number];
export type FilterKind = (typeof FILTERS)[number];
export type EasingName = (typeof EASINGS)[number];
/** A named easing or a CSS cubic Bézier `[x1, y1, x2, y2]`. */
export type Easing = EasingName | readonly [number, number, number, number];
export type Align = (typeof ALIGNS)[number];
