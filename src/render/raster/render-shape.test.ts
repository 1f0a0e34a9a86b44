import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ShapeAsset } from '../../composition/schema.ts';
import { decodePng } from './decode-png.ts';
import { renderShape } from './render-shape.ts';

const shape = (fields: Omit<ShapeAsset, 'type'>) => renderShape({ type: 'shape', ...fields });
const draw = async (fields: Omit<ShapeAsset, 'type'>) => {
  const raster = shape(fields);
  return { raster, img: await decodePng(raster.png) };
};

test('a rectangle fills its whole size, corners included, white by default', async () => {
  const { raster, img } = await draw({ shape: 'rectangle', width: 200, height: 100 });
  assert.equal(raster.width, 200);
  assert.equal(raster.height, 100);
  for (const [x, y] of [[0, 0], [199, 0], [0, 99], [199, 99], [100, 50]]) {
    assert.deepEqual(img.at(x, y), [255, 255, 255, 255], `${x},${y}`);
  }
});

test('a circle is filled at the centre and transparent in the corners', async () => {
  const { img } = await draw({ shape: 'circle', width: 120, height: 80, fill: '#ff0000' });
  assert.deepEqual(img.at(60, 40), [255, 0, 0, 255]);
  for (const [x, y] of [[0, 0], [119, 0], [0, 79], [119, 79], [8, 8]]) assert.equal(img.at(x, y)[3], 0, `${x},${y}`);
  // Inscribed ellipse: it touches the middle of each side.
  assert.equal(img.at(1, 40)[3], 255);
  assert.equal(img.at(60, 1)[3], 255);
  assert.equal(img.at(118, 40)[3], 255);
});

test('a rounded rectangle has transparent corners and a full middle edge', async () => {
  const { img } = await draw({ shape: 'rectangle', width: 200, height: 100, radius: 30, fill: '#00ff00' });
  for (const [x, y] of [[0, 0], [199, 0], [0, 99], [199, 99], [5, 5]]) assert.equal(img.at(x, y)[3], 0, `${x},${y}`);
  assert.deepEqual(img.at(100, 0), [0, 255, 0, 255], 'top edge is straight away from the corners');
  assert.deepEqual(img.at(0, 50), [0, 255, 0, 255]);
  assert.deepEqual(img.at(31, 1), [0, 255, 0, 255], 'the curve ends at the radius');
  const square = await decodePng(shape({ shape: 'rectangle', width: 200, height: 100, fill: '#00ff00' }).png);
  assert.equal(square.at(0, 0)[3], 255, 'without radius the corner is filled');
});

test('a radius beyond half the shorter side makes a pill, not an error', async () => {
  const { img } = await draw({ shape: 'rectangle', width: 200, height: 60, radius: 4000 });
  assert.equal(img.at(2, 2)[3], 0);
  assert.equal(img.at(100, 30)[3], 255);
  assert.equal(img.at(1, 30)[3], 255, 'semicircular ends reach the side');
});

test('the stroke lies inside the bounds, over the fill', async () => {
  const { raster, img } = await draw({ shape: 'rectangle', width: 100, height: 80, fill: '#ffffff', stroke: { color: '#0000ff', width: 10 } });
  assert.equal(raster.width, 100, 'the stroke does not grow the image');
  for (const [x, y] of [[0, 0], [0, 40], [9, 40], [99, 79], [50, 79], [50, 70]]) {
    assert.deepEqual(img.at(x, y), [0, 0, 255, 255], `stroke at ${x},${y}`);
  }
  assert.deepEqual(img.at(11, 40), [255, 255, 255, 255], 'fill just inside the stroke');
  assert.deepEqual(img.at(50, 40), [255, 255, 255, 255]);
});

test('a circle stroke follows the ellipse inside the bounds', async () => {
  const { img } = await draw({ shape: 'circle', width: 100, height: 100, fill: '#ffffff', stroke: { color: '#0000ff', width: 6 } });
  assert.deepEqual(img.at(2, 50), [0, 0, 255, 255]);
  assert.deepEqual(img.at(50, 97), [0, 0, 255, 255]);
  assert.deepEqual(img.at(10, 50), [255, 255, 255, 255]);
  assert.equal(img.at(0, 0)[3], 0);
});

test('odd and fractional sizes give even images with the shape at the top left', async () => {
  const { raster, img } = await draw({ shape: 'rectangle', width: 101, height: 50.5, fill: '#ff0000' });
  assert.equal(raster.width, 102);
  assert.equal(raster.height, 52);
  assert.deepEqual(raster.box, { x: 0, y: 0, width: 101, height: 50.5 });
  assert.equal(img.at(100, 10)[3], 255);
  assert.equal(img.at(101, 10)[3], 0);
  assert.equal(img.at(10, 51)[3], 0);
});

test('fill alpha is kept', async () => {
  const { img } = await draw({ shape: 'rectangle', width: 10, height: 10, fill: '#ff000040' });
  assert.deepEqual(img.at(5, 5), [255, 0, 0, 64]);
});
