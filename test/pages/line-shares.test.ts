/**
 * @module How a page's lines are shared over the line reader's threads
 * (pages/line-reading.ts `shares`, with `readerThreads` above one): into shares of
 * about equal width, each line in exactly one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { shares } from '../../src/pipeline/pages/line-reading.ts';

describe('line reader shares', () => {
  it('splits the lines into shares of about equal width, each line once', () => {
    const boxes = [640, 100, 300, 320, 50, 600].map((w, i) => ({ x: 0, y: i * 40, w, h: 20 }));
    const parts = shares(boxes, 2);
    assert.equal(parts.length, 2);
    assert.deepEqual(parts.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    const width = (part: number[]) => part.reduce((t, i) => t + boxes[i]!.w, 0);
    assert.ok(Math.abs(width(parts[0]!) - width(parts[1]!)) <= 100, `${width(parts[0]!)} against ${width(parts[1]!)}`);
  });

  it('gives one share for one thread or one line, none for no lines', () => {
    const box = { x: 0, y: 0, w: 100, h: 20 };
    assert.deepEqual(shares([box, box], 1), [[0, 1]]);
    assert.deepEqual(shares([box], 4), [[0]]);
    assert.deepEqual(shares([], 2), []);
  });
});
