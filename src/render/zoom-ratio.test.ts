/**
 * zoom-ratio.ts: which zooms it draws (the rest keep the sub-pixel map), and that the filters and
 * command files it writes put every frame where the zoom belongs. The geometry is read back from
 * the filter text and the commands, and worked out here with swscale's own arithmetic, apart from
 * the module's search. The rendered proof is test/render/smooth-motion.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FilterGraph } from './filter-graph.ts';
import { zoomAt } from './ken-burns.ts';
import { swsStep, zoomRatio } from './zoom-ratio.ts';
import { expectGoldenPlan } from '../../test/support/golden-plans.ts';

const input = (w: number, h: number, len: number, effect: 'zoomIn' | 'zoomOut' = 'zoomIn', skip = 0, N = Math.round(len * 30)) => ({
  B: { w, h }, zoomAt: zoomAt(effect, len), centre: { x: w / 2, y: h / 2 }, skip, N, F: 30, pix: 'yuv420p', uid: 't',
});

interface Frame { win: { w: number; h: number; x: number; y: number }; out: { w: number; h: number }; cut: { x: number; y: number } }

/** Each frame's window, scaled size and cut, from the first frame's filter options and the command files. */
const framesOf = (graph: FilterGraph, chain: string[], N: number, F = 30): Frame[] => {
  const text = chain.join(',');
  const opt = (name: string) => Object.fromEntries([...new RegExp(`${name}=([^,]*)`).exec(text)![1].matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  const [w0, s0, c0] = [opt('crop@zwt'), opt('scale@zst'), opt('crop@zct')];
  let f: Frame = { win: { w: w0.w, h: w0.h, x: w0.x, y: w0.y }, out: { w: s0.w, h: s0.h }, cut: { x: c0.x, y: c0.y } };
  const at = new Map<number, string[]>();
  for (const file of graph.sideFiles) {
    for (const line of String(file.content).trim().split('\n')) {
      const [, t, cmds] = /^(\S+) (.*);$/.exec(line)!;
      at.set(Math.round(Number(t) * F + 0.5), cmds.split(', '));
    }
  }
  const frames: Frame[] = [];
  for (let n = 0; n < N; n++) {
    f = structuredClone(f);
    for (const c of at.get(n) ?? []) {
      const [target, key, value] = c.split(' ');
      const v = Number(value);
      if (target === 'crop@zwt') f.win[key as 'w'] = v;
      else if (target === 'scale@zst') f.out[key as 'w'] = v;
      else if (target === 'crop@zct') f.cut[key as 'x'] = v;
    }
    frames.push(f);
  }
  return frames;
};

/** The stacked copies' bands: size and top, from the `once` filters. */
const copiesOf = (once: string) => {
  let top = 0;
  return [...once.matchAll(/scale=(\d+):(\d+):flags=lanczos,pad=(\d+):(\d+):(\d+):(\d+)/g)].map((m) => {
    const band = { w: Number(m[1]), h: Number(m[2]), pad: Number(m[5]), top };
    top += Number(m[4]);
    return band;
  });
};

/**
 * Where box pixel p's centre lands in the still (box px), per axis, for one frame: output pixel
 * cut + p of the window, mapped back through swscale's step and the copy's own scale.
 */
const landing = (p: number, box: number, copyLen: number, pad: number, at: number, size: number, out: number, cut: number) =>
  ((at - pad + (cut + p + 0.5) * swsStep(size, out)) * swsStep(box, copyLen));

const worstMiss = (o: ReturnType<typeof input>) => {
  const zr = zoomRatio(o)!;
  const graph = new FilterGraph('/work');
  const frames = framesOf(graph, zr.perFrame(graph), o.N);
  const bands = copiesOf(zr.once('s')[0]);
  let worst = 0;
  frames.forEach((f, n) => {
    const z = o.zoomAt(o.skip + n / 30);
    const band = bands.find((b) => f.win.y >= b.top && f.win.y < b.top + b.h + 2 * b.pad)!;
    for (const [axis, box, c] of [['x', o.B.w, o.centre.x], ['y', o.B.h, o.centre.y]] as const) {
      for (const p of [0, Math.floor(c), box - 1]) {
        const at = axis === 'x' ? f.win.x : f.win.y - band.top;
        const got = landing(p, box, axis === 'x' ? band.w : band.h, band.pad, at, f.win[axis === 'x' ? 'w' : 'h'], f.out[axis === 'x' ? 'w' : 'h'], f.cut[axis]);
        const ideal = c + (p + 0.5 - c) / z;
        worst = Math.max(worst, Math.abs(got - ideal) * z);
      }
    }
  });
  return worst;
};

test('ref-a\'s zooms (1280×720, 4.5 s) and ref-b\'s (1920×1080 zoomOut over 18 s) are drawn by ratio, every frame within 0.05 px of the zoom', () => {
  for (const o of [input(1280, 720, 4.5, 'zoomIn'), input(1280, 720, 4.5, 'zoomOut'), input(1920, 1080, 18, 'zoomOut', 10, 120)]) {
    const zr = zoomRatio(o);
    assert.ok(zr);
    assert.match(zr.once('s')[0], /^format=yuv420p,split=4\[zrsc0\]/);
    const miss = worstMiss(o);
    assert.ok(miss <= 0.05, `worst miss ${miss.toFixed(4)} px`);
  }
});

test('a range of the clip gets the frames of the whole clip', () => {
  const whole = zoomRatio(input(1280, 720, 4.5))!;
  const part = zoomRatio(input(1280, 720, 4.5, 'zoomIn', 40 / 30, 30))!;
  const [gw, gp] = [new FilterGraph('/work'), new FilterGraph('/work')];
  assert.deepEqual(framesOf(gp, part.perFrame(gp), 30), framesOf(gw, whole.perFrame(gw), 135).slice(40, 70));
});

test('the command files hold at most 60 frames each (sendcmd\'s memory grows with the square of a file)', () => {
  const graph = new FilterGraph('/work');
  const chain = zoomRatio(input(1920, 1080, 18, 'zoomOut', 0, 540))!.perFrame(graph);
  assert.equal(chain.filter((f) => f.startsWith('sendcmd=')).length, graph.sideFiles.length);
  assert.ok(graph.sideFiles.length >= 9);
  for (const f of graph.sideFiles) assert.ok(String(f.content).trim().split('\n').length <= 60);
});

test('zooms it cannot draw within its budget keep the map: too slow for the box, odd sizes, above 4K', () => {
  assert.equal(zoomRatio(input(640, 360, 20)), undefined, 'a 20 s zoom at 640×360 moves its edges 0.07 px a frame');
  assert.equal(zoomRatio(input(1281, 720, 4.5)), undefined);
  assert.equal(zoomRatio(input(7680, 4320, 4.5, 'zoomIn', 0, 2)), undefined);
  assert.ok(zoomRatio(input(320, 180, 2)));
  assert.ok(zoomRatio(input(720, 1280, 6)), 'a portrait box');
});

test('golden windows: ref-a\'s and ref-b\'s zooms and an off-centre one pick the windows the exhaustive search picked', () => {
  // Written by the search that tried every start and size of every copy (before 2026-12-06's
  // pruning): the pruned search must choose the same window for every frame.
  const cases = [['zoom-ratio-720p-zoomIn', input(1280, 720, 4.5, 'zoomIn')], ['zoom-ratio-1080p-zoomOut-18s', input(1920, 1080, 18, 'zoomOut')],
    ['zoom-ratio-640x360-off-centre', { ...input(640, 360, 3, 'zoomOut', 0.5, 60), centre: { x: 200, y: 100 } }]] as const;
  for (const [name, o] of cases) {
    const zr = zoomRatio(o);
    assert.ok(zr, name);
    const graph = new FilterGraph('/work');
    const chain = zr.perFrame(graph);
    expectGoldenPlan(name, [zr.once('s')[0], ...chain, ...graph.sideFiles.map((f) => String(f.content).trimEnd())].join('\n') + '\n');
  }
});
