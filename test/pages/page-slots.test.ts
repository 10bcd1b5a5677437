/**
 * @module How the page engine shares the cores (pages/page-slots.ts) and the line
 * reader's threads (pages/line-reading.ts `shares`): a page gives its OCR slot back
 * before its line reading, so the next page's Tesseract starts while the first is
 * still being read again; pages in flight stay within their bound; a page's lines are
 * split into shares of about equal width, each line in exactly one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPageSlots } from '../../src/pipeline/pages/page-slots.ts';
import { shares } from '../../src/pipeline/pages/line-reading.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('page slots', () => {
  it('starts the next page in the OCR slot while the page before is in its second part, within the pages in flight', async () => {
    const slots = createPageSlots(1, 3);
    assert.equal(slots.lanes, 3);
    const events: string[] = [];
    let inOcr = 0;
    let inFlight = 0;
    let mostOcr = 0;
    let mostInFlight = 0;
    const page = (n: number) =>
      slots.run(
        async () => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          mostOcr = Math.max(mostOcr, ++inOcr);
          events.push(`ocr ${n}`);
          await tick();
          inOcr--;
          return n;
        },
        async (m) => {
          events.push(`reader ${m}`);
          await tick();
          await tick();
          await tick();
          events.push(`done ${m}`);
          inFlight--;
          return m;
        },
      );
    assert.deepEqual(await Promise.all([0, 1, 2, 3, 4].map(page)), [0, 1, 2, 3, 4]);
    assert.equal(mostOcr, 1);
    assert.ok(mostInFlight <= 3, `${mostInFlight} pages in flight`);
    assert.ok(events.indexOf('ocr 1') < events.indexOf('done 0'), `page 1 waited for page 0's reader: ${events.join(', ')}`);
  });

  it('never has fewer pages in flight than OCR slots', () => {
    assert.equal(createPageSlots(2, 1).lanes, 2);
  });
});

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
