'use strict';
// The C++ shapes library from JavaScript: bindery writes its C layer, reads the C header back and
// generates the addon over it (docs/hosts-over-cxx.md). C++ exceptions arrive as JS errors by kind.
const test = require('node:test');
const assert = require('node:assert/strict');

const s = require(process.env.BINDERY_NODE_PKG);

test('a class with factories, methods, records and optionals', () => {
  const p = s.Polygon.square(2);
  assert.equal(p.area(), 4);
  assert.equal(p.name(), 'square');
  assert.equal(p.size(), 4n);
  assert.deepEqual(p.vertex(1), { x: 2, y: 0 });
  assert.deepEqual(p.centroid(), { x: 1, y: 1 });
  assert.equal(p.describe(), 'square: 4 vertices, area 4.00');  // text paired with its length by the C layer
  assert.equal(p.find({ x: 9, y: 9 }), null, 'std::nullopt is null');
  p.setColor(s.Color.BLUE);
  assert.equal(p.color(), s.Color.BLUE);
  p.close();
  assert.throws(() => p.area(), /closed/);
});

test('free functions', () => {
  assert.equal(s.distance({ x: 0, y: 0 }, { x: 3, y: 4 }), 5);
  assert.deepEqual(s.parsePoint('1,2'), { x: 1, y: 2 });
});

test('std::invalid_argument is a RangeError with code and kind, and a ShapesError', () => {
  for (const f of [() => s.Polygon.regular(2), () => s.parsePoint('zz')]) {
    assert.throws(f, (e) => e instanceof RangeError && e instanceof s.ShapesError &&
      e.kind === 'invalid_argument' && typeof e.code === 'number' && e.code !== 0);
  }
});

test('std::out_of_range is a RangeError with kind out_of_range', () => {
  const p = s.Polygon.square(1);
  assert.throws(() => p.vertex(99), (e) => e instanceof RangeError && e.kind === 'out_of_range' &&
    /vertex 99 of 4/.test(e.message));
  const stack = s.StackI32.new();
  assert.throws(() => stack.pop(), (e) => e instanceof RangeError && e.kind === 'out_of_range');
  stack.push(7);
  assert.equal(stack.pop(), 7);
  stack.close();
  p.close();
});

test('std::unique_ptr parameter: the canvas takes the polygon over', () => {
  const canvas = new s.Canvas();
  const p = s.Polygon.square(3);
  canvas.add(p);
  assert.equal(p.closed, true, 'consumed: the JS object is emptied');
  assert.equal(canvas.count(), 1n);
  assert.equal(canvas.at(0).area(), 9);
  assert.equal(canvas.totalArea(), 9);
  canvas.close();
});
