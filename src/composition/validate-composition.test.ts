import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateComposition } from './validate-composition.ts';
import { isMontageError, type ErrorCode, type FieldProblem } from '../errors/registry.ts';

const clip = (extra: Record<string, unknown> = {}) => ({ asset: { type: 'color', color: '#ff0000' }, start: 0, length: 2, ...extra });
const comp = (extra: Record<string, unknown> = {}, clips: unknown[] = [clip()]) => ({ output: { width: 320, height: 180 }, tracks: [{ clips }], ...extra });

/** Validates and returns the problems; fails the test if the composition passes or the code differs. */
const problemsOf = (raw: unknown, merge?: Record<string, string | number | boolean>, code: ErrorCode = 'MONTAGE_E_INVALID_COMPOSITION'): FieldProblem[] => {
  try {
    validateComposition(raw, merge);
  } catch (e) {
    assert.ok(isMontageError(e), `expected a MontageError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return [...e.problems];
  }
  assert.fail('the composition was accepted');
};

/** Exactly one problem, at `pointer`, whose sentence matches `detail`. */
const expectOne = (raw: unknown, pointer: string, detail: RegExp, merge?: Record<string, string | number | boolean>) => {
  const problems = problemsOf(raw, merge);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.equal(problems[0].pointer, pointer);
  assert.match(problems[0].detail, detail);
};

describe('valid compositions', () => {
  test('a minimal composition passes and keeps its values', () => {
    const { composition, warnings } = validateComposition(comp());
    assert.equal(composition.tracks[0].clips[0].length, 2);
    assert.deepEqual(warnings, []);
  });
  test('every asset type and option of the format example passes', () => {
    const raw = comp({ background: '#101018', soundtrack: { src: 'm.mp3', fadeOut: 1, duck: 0.3, loop: false }, fonts: [{ family: 'Brand', src: 'b.ttf' }] }, [
      { asset: { type: 'video', src: 'v.mp4', trim: 1, volume: 0.5, speed: 2, muted: true }, start: 0, length: 'auto', fit: 'contain', effect: 'zoomIn', filter: 'sepia' },
      { asset: { type: 'image', src: 'a.jpg' }, start: 1, length: 3, transition: { in: 'fade', out: 'wipeLeft', duration: 0.75 }, keyframes: { scale: [{ time: 0, value: 1 }, { time: 2, value: 1.5, easing: 'easeInOut' }] } },
      { asset: { type: 'audio', src: 'a.wav', fadeIn: 1 }, start: 0, length: 'auto' },
      { asset: { type: 'text', text: 'Hi', font: { family: 'Brand', size: 60, weight: 'bold', color: '#fff', lineHeight: 1.3 }, align: 'left', width: 0.5, background: '#00000080', padding: 10, stroke: { color: '#000', width: 2 }, shadow: { color: '#000', blur: 4, x: 2, y: 2 } }, start: 0, length: 2, position: 'topLeft', offset: { x: 0.1, y: -0.1 }, opacity: 0.5, rotate: 10 },
      { asset: { type: 'shape', shape: 'circle', width: 100, height: 100, fill: '#0f0', stroke: { color: '#fff', width: 3 } }, start: 0, length: 1 },
      { asset: { type: 'captions', cues: [{ start: 0, end: 1, text: 'one' }] }, start: 0, length: 2 },
    ]);
    assert.doesNotThrow(() => validateComposition(raw));
  });
});

describe('a test for each kind of problem, with its pointer and an actionable sentence', () => {
  test('not an object', () => expectOne([], '', /must be a JSON object/));
  test('missing required field', () => expectOne({ output: {} }, '/tracks', /is required.*add "tracks"/));
  test('unknown property with a did-you-mean', () => expectOne(comp({ backgroud: '#000' }), '/backgroud', /unknown property "backgroud": did you mean "background"\?/));
  test('unknown property without a close match lists the allowed ones', () => expectOne(comp({ zzz: 1 }), '/zzz', /remove it; allowed here: .*"tracks"/));
  test('a typo of a required property is reported once, by the typo', () => expectOne(comp({}, [{ asset: { type: 'color', color: '#000' }, start: 0, lenght: 2 }]), '/tracks/0/clips/0/lenght', /did you mean "length"/));
  test('wrong type', () => expectOne(comp({}, [clip({ opacity: 'half' })]), '/tracks/0/clips/0/opacity', /must be a number, got "half"/));
  test('number below its minimum', () => expectOne(comp({}, [clip({ start: -1 })]), '/tracks/0/clips/0/start', /got -1: a number here must be ≥ 0/));
  test('number above its maximum', () => expectOne(comp({ output: { width: 320, height: 180, fps: 120 } }), '/output/fps', /must be ≤ 60.*got 120/));
  test('zero where more than zero is needed', () => expectOne(comp({}, [clip({ length: 0 })]), '/tracks/0/clips/0/length', /must be a number or "auto".*got 0/));
  test('whole number expected', () => expectOne(comp({ output: { width: 320.5, height: 180 } }), '/output/width', /must be a whole number/));
  test('enum value with a did-you-mean', () => expectOne(comp({}, [clip({ transition: { in: 'fdae' } })]), '/tracks/0/clips/0/transition/in', /one of "fade".*got "fdae": did you mean "fade"\?/));
  test('unknown asset type', () => expectOne(comp({}, [{ asset: { type: 'imag', src: 'a.png' }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset/type', /one of "video", "image".*did you mean "image"/));
  test('asset without a type', () => {
    const problems = problemsOf(comp({}, [{ asset: { src: 'a.png' }, start: 0, length: 1 }]));
    assert.ok(problems.some((p) => p.pointer === '/tracks/0/clips/0/asset/type' && /must be one of/.test(p.detail)), JSON.stringify(problems));
  });
  test('a field of another asset type is unknown for this one', () => expectOne(comp({}, [{ asset: { type: 'image', src: 'a.png', volume: 1 }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset/volume', /unknown property "volume"/));
  test('colour that is not CSS hex', () => expectOne(comp({ background: 'red' }), '/background', /CSS hex colour.*got "red"/));
  test('empty string', () => expectOne(comp({}, [{ asset: { type: 'image', src: '' }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset/src', /must not be empty/));
  test('no tracks', () => expectOne(comp({ tracks: [] }), '/tracks', /needs at least 1 item/));
  test('no clips at all', () => expectOne(comp({ tracks: [{ clips: [] }] }), '/tracks', /timeline is empty: add a clip or set output.duration/));
  test('odd size for mp4', () => expectOne(comp({ output: { width: 321, height: 180 } }), '/output/width', /must be even for mp4.*use 320 or 322/));
  test('odd size is fine for gif', () => assert.doesNotThrow(() => validateComposition(comp({ output: { format: 'gif', width: 321, height: 181 } }))));
  test('gif faster than 30 fps', () => expectOne(comp({ output: { format: 'gif', width: 320, height: 180, fps: 50 } }), '/output/fps', /at most 30 for gif/));
  test('"auto" length on an image', () => expectOne(comp({}, [{ asset: { type: 'image', src: 'a.png' }, start: 0, length: 'auto' }]), '/tracks/0/clips/0/length', /"auto" only works for video and audio/));
  test('keyframes out of order', () => expectOne(comp({}, [clip({ keyframes: { x: [{ time: 1, value: 0 }, { time: 0.5, value: 1 }] } })]), '/tracks/0/clips/0/keyframes/x/1/time', /later than the previous key's time \(1 s\)/));
  test('keyframe value out of its range', () => expectOne(comp({}, [clip({ keyframes: { opacity: [{ time: 0, value: 1.5 }] } })]), '/tracks/0/clips/0/keyframes/opacity/0/value', /opacity from 0 to 1, got 1.5/));
  test('unknown easing', () => expectOne(comp({}, [clip({ keyframes: { opacity: [{ time: 0, value: 1, easing: 'easeout' }] } })]), '/tracks/0/clips/0/keyframes/opacity/0/easing', /did you mean "easeOut"/));
  test('unknown transition easing, with a suggestion', () => expectOne(comp({}, [clip({ transition: { in: 'fade', easing: 'easeOutBak' } })]), '/tracks/0/clips/0/transition/easing', /did you mean "easeOutBack"/));
  test('a Bézier whose x1 leaves 0–1', () => {
    const problems = problemsOf(comp({}, [clip({ keyframes: { x: [{ time: 0, value: 0, easing: [1.5, 0, 0.5, 1] }, { time: 1, value: 1 }] } })]));
    assert.ok(problems.some((p) => p.pointer.startsWith('/tracks/0/clips/0/keyframes/x/0/easing')), JSON.stringify(problems));
  });
  test('Penner names, hold and Béziers are accepted for keyframes and transitions', () => assert.doesNotThrow(() => validateComposition(comp({}, [clip({
    transition: { in: 'slideUp', easing: [0.68, -0.6, 0.32, 1.6] },
    keyframes: { x: [{ time: 0, value: 0, easing: 'easeInOutElastic' }, { time: 0.5, value: 0.1, easing: 'hold' }, { time: 1, value: 0.2 }] },
  })]))));
  test('captions with neither src nor cues', () => expectOne(comp({}, [{ asset: { type: 'captions' }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset', /give "src".*or "cues"/));
  test('captions with both src and cues', () => expectOne(comp({}, [{ asset: { type: 'captions', src: 'a.srt', cues: [] }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset', /both "src" and "cues": keep one/));
  test('a cue that ends before it starts', () => expectOne(comp({}, [{ asset: { type: 'captions', cues: [{ start: 2, end: 1, text: 'x' }] }, start: 0, length: 3 }]), '/tracks/0/clips/0/asset/cues/0/end', /after the cue's start \(2 s\)/));
  test('range starting after the end', () => expectOne(comp({ output: { width: 320, height: 180, range: { start: 5, length: 1 } } }), '/output/range/start', /after the end of the timeline \(2 s\)/));
  test('still frame after the end', () => expectOne(comp({ output: { format: 'png', width: 320, height: 180, frame: 2 } }), '/output/frame', /after the end of the timeline/));
  test('unknown font family, with a suggestion', () => expectOne(comp({}, [{ asset: { type: 'text', text: 'x', font: { family: 'DejaVu Snas' } }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset/font/family', /did you mean "DejaVu Sans"\?.*declare it in "fonts"/));
  test('a declared font family is accepted, case-insensitively', () => assert.doesNotThrow(() => validateComposition(comp({ fonts: [{ family: 'Brand', src: 'b.ttf' }] }, [{ asset: { type: 'text', text: 'x', font: { family: 'brand' } }, start: 0, length: 1 }]))));
  test('bad placeholder name in merge', () => expectOne(comp({ merge: { 'a b': 1 } }), '/merge/a b', /letters, digits/));
  test('"__proto__" is an unknown property, not a prototype', () => expectOne(JSON.parse('{"output":{"width":320,"height":180},"tracks":[{"clips":[{"asset":{"type":"color","color":"#000"},"start":0,"length":1}]}],"__proto__":{"x":1}}'), '/__proto__', /unknown property "__proto__"/));
  test('every problem is listed at once', () => {
    const problems = problemsOf(comp({ background: 'red', output: { width: 321, height: 180, qualty: 'high' } }, [clip({ start: -1, fit: 'cove' })]));
    assert.deepEqual(problems.map((p) => p.pointer).sort(), ['/background', '/output/qualty', '/output/width', '/tracks/0/clips/0/fit', '/tracks/0/clips/0/start']);
  });
});

describe('warnings that do not stop the render', () => {
  test('a field that does nothing: a highlight background or scale its style never draws, verticalAlign without height', () => {
    const captions = (highlight: object) => clip({ asset: { type: 'captions', cues: [{ start: 0, end: 1, text: 'hi there' }], highlight } });
    const text = (extra: object) => clip({ asset: { type: 'text', text: 'Hi', ...extra } });
    const { warnings } = validateComposition(comp({}, [
      captions({ style: 'scale', background: '#ff0000', scale: 1.3 }), captions({ style: 'color', scale: 1.2 }), captions({ style: 'background', background: '#00ff00' }),
      text({ verticalAlign: 'top' }), text({ verticalAlign: 'bottom', height: 0.5 }),
    ]));
    assert.deepEqual(warnings.map((w) => w.pointer), ['/tracks/0/clips/0/asset/highlight/background', '/tracks/0/clips/1/asset/highlight/scale', '/tracks/0/clips/3/asset/verticalAlign']);
    assert.match(warnings[0]!.detail, /does nothing with style "scale": only style "background" uses it/);
    assert.match(warnings[2]!.detail, /does nothing without "height"/);
  });
  test('a range reaching past the end', () => {
    const { warnings } = validateComposition(comp({ output: { width: 320, height: 180, range: { start: 1, length: 5 } } }));
    assert.deepEqual(warnings.map((w) => w.pointer), ['/output/range/length']);
  });
  test('a poster or thumbnail time past the rendered range (it counts from the range\'s start)', () => {
    // A range of 0.5–1.5 s renders 1 s: a poster at 1.2 s has no frame there and gets the last one,
    // which was said only past the end of the whole timeline (2 s).
    const { warnings } = validateComposition(comp({ output: { width: 320, height: 180, range: { start: 0.5, length: 1 }, poster: { time: 1.2 }, thumbnail: { time: 0.5, width: 64 } } }));
    assert.deepEqual(warnings.map((w) => w.pointer), ['/output/poster/time']);
    assert.match(warnings[0]!.detail, /at or after the end of the rendered range \(1 s long; the time counts from its start\)/);
  });
  test('a poster on an audio format', () => {
    const { warnings } = validateComposition(comp({ output: { format: 'mp3', poster: { time: 0 } } }));
    assert.deepEqual(warnings.map((w) => w.pointer), ['/output/poster']);
  });
});

describe('numbers JSON cannot hold', () => {
  test('1e400 (read as Infinity) is refused as a number too large to represent, not as null', () => {
    const raw = JSON.parse('{"output":{"width":320,"height":180,"fps":1e400},"tracks":[{"clips":[{"asset":{"type":"color","color":"#ff0000"},"start":-1e400,"length":1e400}]}]}');
    const problems = problemsOf(raw);
    assert.deepEqual(problems.map((p) => p.pointer), ['/output/fps', '/tracks/0/clips/0/start', '/tracks/0/clips/0/length']);
    for (const p of problems) assert.doesNotMatch(p.detail, /got null/, p.detail);
    assert.match(problems[0].detail, /must be ≤ 60 .*, got a number too large to represent$/);
    assert.match(problems[1].detail, /got a negative number too large to represent: a number here must be ≥ 0$/);
  });
});

describe('placeholders', () => {
  const tpl = comp({ merge: { title: 'Hello', secs: 3 } }, [{ asset: { type: 'text', text: '{{ title }}, {{name}}!' }, start: 0, length: '{{secs}}' }]);
  test('substitute inside strings and take the value type for a whole placeholder', () => {
    const { composition } = validateComposition(tpl, { name: 'World' });
    const c = composition.tracks[0].clips[0];
    assert.equal((c.asset as { text: string }).text, 'Hello, World!');
    assert.equal(c.length, 3);
  });
  test('merge overrides the composition’s own values', () => {
    const { composition } = validateComposition(tpl, { name: 'W', title: 'Bye', secs: 5 });
    assert.equal((composition.tracks[0].clips[0].asset as { text: string }).text, 'Bye, W!');
    assert.equal(composition.tracks[0].clips[0].length, 5);
  });
  test('a command-line string becomes the number the field needs', () => {
    const { composition } = validateComposition(tpl, { name: 'W', secs: '2.5' });
    assert.equal(composition.tracks[0].clips[0].length, 2.5);
  });
  test('a command-line string stays a string where a string is needed', () => {
    const t = comp({}, [{ asset: { type: 'text', text: '{{year}}' }, start: 0, length: 1 }]);
    assert.equal((validateComposition(t, { year: '2026' }).composition.tracks[0].clips[0].asset as { text: string }).text, '2026');
  });
  test('a non-numeric string for a number field is an error at that field', () => {
    expectOne(tpl, '/tracks/0/clips/0/length', /must be a number or "auto".*got "abc"/, { name: 'W', secs: 'abc' });
  });
  test('a placeholder with no value names it, at every place it is used', () => {
    const problems = problemsOf(tpl, {}, 'MONTAGE_E_MISSING_PLACEHOLDER');
    assert.deepEqual(problems, [{ pointer: '/tracks/0/clips/0/asset/text', detail: 'placeholder {{name}} has no value: add "name" to merge.' }]);
  });
  test('a string whose placeholders would fill it past 100 000 characters is refused before it is built, naming it and the value', () => {
    // 2000 × 400 000 characters: past what V8 can hold in one string (a RangeError, a 500 over HTTP).
    const bomb = comp({ merge: { a: 'x'.repeat(400_000) } }, [{ asset: { type: 'text', text: '{{a}} '.repeat(2000) }, start: 0, length: 1 }]);
    const problems = problemsOf(bomb, undefined, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.deepEqual(problems.map((p) => p.pointer), ['/tracks/0/clips/0/asset/text']);
    assert.match(problems[0].detail, /would be 800002000 characters long once its placeholders \(\{\{a\}\}\) are filled, more than 100000: use shorter merge values/);
  });
  test('placeholders may add at most 16 Mi characters to the whole composition, whole-string values included', () => {
    // 1000 texts of one 20 000-character value: each string alone is short, together they are 20 M.
    const clips = Array.from({ length: 1000 }, () => ({ asset: { type: 'text', text: '{{a}}' }, start: 0, length: 1 }));
    const problems = problemsOf(comp({}, clips), { a: 'y'.repeat(20_000) }, 'MONTAGE_E_LIMIT_EXCEEDED');
    assert.equal(problems.length, 1, JSON.stringify(problems.map((p) => p.pointer)));
    assert.equal(problems[0].pointer, `/tracks/0/clips/${Math.floor(16 * 1024 * 1024 / 20_000)}/asset/text`);
    assert.match(problems[0].detail, /past 16777216 characters once filled: use shorter merge values/);
  });
  test('a long value used where it fits is filled as before', () => {
    const t = comp({}, [{ asset: { type: 'text', text: '{{a}}{{a}}' }, start: 0, length: 1 }]);
    assert.equal((validateComposition(t, { a: 'z'.repeat(5000) }).composition.tracks[0].clips[0].asset as { text: string }).text.length, 10_000);
  });
  test('substitution does not change the caller’s object', () => {
    const copy = JSON.parse(JSON.stringify(tpl));
    validateComposition(tpl, { name: 'X' });
    assert.deepEqual(tpl, copy);
  });
});

describe('output.scale past the frame limits', () => {
  test('one problem naming both sides, with one range that fits both and scale\'s own 0.1–4', () => {
    const big = problemsOf(comp({ output: { width: 3840, height: 2160, scale: 4 } }));
    assert.deepEqual(big, [{ pointer: '/output/scale', detail: 'makes the width 15360 px (3840 × 4) and the height 8640 px (2160 × 4); frames must be 16–3840 px: choose a scale between 0.1 and 1' }]);
    const small = problemsOf(comp({ output: { width: 16, height: 16, scale: 0.1 } }));
    assert.deepEqual(small, [{ pointer: '/output/scale', detail: 'makes the width 2 px (16 × 0.1) and the height 2 px (16 × 0.1); frames must be 16–3840 px: choose a scale between 1 and 4' }]);
    // The advice works: its ends validate.
    for (const scale of [0.1, 1]) validateComposition(comp({ output: { width: 3840, height: 2160, scale } }));
    for (const scale of [1, 4]) validateComposition(comp({ output: { width: 16, height: 16, scale } }));
  });
});

describe('text spans share the length of one text', () => {
  test('500 spans of 10 000 characters are refused at the text, naming the total and the limit; 10 000 across spans pass', () => {
    const spans = (n: number, each: number) => Array.from({ length: n }, () => ({ text: 'w'.repeat(each) }));
    const text = (t: unknown) => comp({}, [{ asset: { type: 'text', text: t }, start: 0, length: 1 }]);
    expectOne(text(spans(500, 10_000)), '/tracks/0/clips/0/asset/text', /^holds 5000000 characters across its spans, more than 10000 \(the most one text holds\): split it over several text clips$/);
    validateComposition(text(spans(10, 1000)));
  });
  test('one text string past 10 000 characters is told it is too long, not that it must be a string or an array', () => {
    const raw = comp({}, [{ asset: { type: 'text', text: 'Hello {{name}}' }, start: 0, length: 1 }]);
    expectOne(raw, '/tracks/0/clips/0/asset/text', /^is too long: at most 10000 characters \(it holds 12006\)/, { name: 'x'.repeat(12_000) });
    // A value of the wrong type still hears what the field takes.
    expectOne(comp({}, [{ asset: { type: 'text', text: 5 }, start: 0, length: 1 }]), '/tracks/0/clips/0/asset/text', /^must be a string or an array/);
  });
  test('the same through placeholders: a 40 KB request whose spans each take a 10 000-character value', () => {
    const raw = comp({}, [{ asset: { type: 'text', text: Array.from({ length: 500 }, () => ({ text: '{{a}}' })) }, start: 0, length: 1 }]);
    expectOne(raw, '/tracks/0/clips/0/asset/text', /^holds 5000000 characters across its spans/, { a: 'x'.repeat(10_000) });
  });
});
