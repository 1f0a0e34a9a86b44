/**
 * Every easing's two forms agree: the ffmpeg expression, evaluated by ffmpeg itself (aevalsrc
 * samples it 200 times over [0, 1]), matches the JS function within 1e-4. And the curves are the
 * easings.net ones: known values at known points.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EASINGS, type Easing } from '../composition/schema.ts';
import { ease, easeExpr } from './easing.ts';
import { ffmpeg } from '../../test/support/ffmpeg-tools.ts';

const RATE = 200;
const BEZIERS: Easing[] = [[0.25, 0.1, 0.25, 1], [0.68, -0.6, 0.32, 1.6], [0, 0, 1, 1], [0.9, 0, 0.1, 1]];
const ALL: Easing[] = [...EASINGS, ...BEZIERS];

describe('easing expressions', () => {
  test('ffmpeg evaluates each expression to the JS curve (all names and four Béziers)', async () => {
    // One run: each curve is one 1 s aevalsrc (p = t), concatenated.
    const chains = ALL.map((e, i) => `aevalsrc=exprs='${easeExpr(e, 'clip(t,0,1)')}':s=${RATE}:d=1[a${i}]`);
    const graph = `${chains.join(';')};${ALL.map((_, i) => `[a${i}]`).join('')}concat=n=${ALL.length}:v=0:a=1[out]`;
    const raw = await ffmpeg('-filter_complex', graph, '-map', '[out]', '-f', 'f64le', '-c:a', 'pcm_f64le', '-');
    const got = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
    assert.equal(got.length, ALL.length * RATE);
    ALL.forEach((e, i) => {
      for (let k = 0; k < RATE; k++) {
        const want = ease(e, k / RATE);
        const v = got[i * RATE + k];
        assert.ok(Math.abs(v - want) < 1e-4, `${JSON.stringify(e)} at p=${k / RATE}: ffmpeg ${v}, JS ${want}`);
      }
    });
  });
});

describe('easing curves', () => {
  const at = (e: Easing, p: number) => Math.round(ease(e, p) * 1e4) / 1e4 + 0;
  test('every curve starts at 0 and ends at 1', () => {
    for (const e of ALL) assert.deepEqual([at(e, 0), at(e, 1)], [0, 1], JSON.stringify(e));
  });
  test('known values from easings.net', () => {
    assert.equal(at('easeInQuad', 0.5), 0.25);
    assert.equal(at('easeOutQuint', 0.5), 0.9688);
    assert.equal(at('easeInSine', 0.5), 0.2929);
    assert.equal(at('easeInExpo', 0.5), 0.0313);
    assert.equal(at('easeOutCirc', 0.5), 0.866);
    assert.equal(at('easeOutBounce', 0.5), 0.7656);
    assert.ok(ease('easeOutBack', 0.7) > 1.05, 'easeOutBack overshoots');
    assert.ok(ease('easeInBack', 0.2) < -0.04, 'easeInBack anticipates');
    assert.ok(ease('easeOutElastic', 0.15) > 1.2, 'easeOutElastic rings above 1');
  });
  test('hold stays at 0 until the end', () => {
    assert.deepEqual([0, 0.5, 0.999, 1].map((p) => ease('hold', p)), [0, 0, 0, 1]);
  });
  test('a Bézier is the CSS curve: ease = [0.25, 0.1, 0.25, 1] is 0.8024 at 0.5, linear [0,0,1,1] is the identity', () => {
    assert.equal(at([0.25, 0.1, 0.25, 1], 0.5), 0.8024);
    for (const p of [0.1, 0.33, 0.9]) assert.equal(at([0, 0, 1, 1], p), p);
  });
});
