// copyBox (the memory walk behind the patched wasm kernels) against element-by-element index maths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyBox } from '../../lib/tensor';
import { createRng } from '../../lib/util';
import { naiveSlice, randomBox, randomShape, sizeOf } from './reference';

test('copyBox equals naive slicing on 500 random boxes, ranks 1-5', () => {
  const rng = createRng(11);
  for (let trial = 0; trial < 500; trial++) {
    const rank = 1 + (trial % 5);
    const shape = randomShape(rng, rank, rank >= 4 ? 5 : 9);
    const src = Float32Array.from({ length: sizeOf(shape) }, (_, i) => i + 0.5);
    const { begin, size } = randomBox(rng, shape, true);
    const dst = new Float32Array(sizeOf(size));
    copyBox(src, shape, begin, size, dst);
    assert.deepEqual(Array.from(dst), naiveSlice(src, shape, begin, size), `shape ${shape} begin ${begin} size ${size}`);
  }
});

test('copyBox handles full, contiguous-tail and scalar boxes and other dtypes', () => {
  const shape = [3, 4, 5];
  const src = Int32Array.from({ length: 60 }, (_, i) => i - 30);
  const cases: Array<[number[], number[]]> = [
    [[0, 0, 0], [3, 4, 5]], // whole tensor: one run
    [[1, 0, 0], [2, 4, 5]], // contiguous rows
    [[0, 2, 0], [3, 2, 5]], // full last axis, partial middle
    [[2, 3, 4], [1, 1, 1]], // one element
  ];
  for (const [begin, size] of cases) {
    const dst = new Int32Array(sizeOf(size));
    copyBox(src, shape, begin, size, dst);
    assert.deepEqual(Array.from(dst), naiveSlice(src, shape, begin, size), `begin ${begin} size ${size}`);
  }
  const bools = Uint8Array.from([1, 0, 1, 1, 0, 0]);
  const out = new Uint8Array(2);
  copyBox(bools, [2, 3], [0, 1], [2, 1], out);
  assert.deepEqual(Array.from(out), [0, 0]);
  const scalarOut = new Float32Array(1);
  copyBox(Float32Array.of(7), [], [], [], scalarOut);
  assert.equal(scalarOut[0], 7);
});
