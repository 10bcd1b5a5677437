/**
 * @module Measures how tall the text of a page image is, in pixels, without OCR, so
 * that small text can be enlarged before Tesseract reads it. Tesseract's models are
 * trained on text with an x-height of roughly 20–30 px (≈300 dpi); the corpus's
 * SROIE receipts, 460–1100 px wide photos, carry glyphs 7–12 px tall and read at
 * 14 % character errors (docs/pages.md "Small text").
 *
 * Method: a global Otsu threshold, then connected components of dark pixels found
 * run by run (one union-find over horizontal runs, O(runs)); the answer is the
 * median height of the components shaped like glyphs. Specks (under 4 px or 6
 * pixels), rules and frames (far wider than tall, or taller than a twentieth of the
 * page) and blobs larger than any glyph are left out. Images over 4 MP are measured
 * on every second row and column: ~40 ms for a 300 dpi A4 scan here (2 % of reading
 * it), ~14 ms for a 1.6 MP receipt. The glyphs' boxes, and the box around the
 * components too large to be glyphs, also tell where the page's content is (crop.ts).
 */

/** Smallest component height counted as a glyph: under it are specks and JPEG noise. */
const MIN_GLYPH_PX = 4;
/** Fewer glyph-shaped components than this and the page says nothing about its text size. */
const MIN_GLYPHS = 20;
/** Images larger than this (≈ A4 at 200 dpi) are measured at half resolution. */
const HALVE_ABOVE_PIXELS = 4_000_000;

/** Otsu's threshold over a 256-bin histogram: the grey level that best splits ink from paper. */
export function otsuThreshold(histogram: Uint32Array | number[]): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += histogram[i]!;
    sum += i * histogram[i]!;
  }
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    weightB += histogram[t]!;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * histogram[t]!;
    const meanB = sumB / weightB;
    const meanF = (sum - sumB) / weightF;
    const between = weightB * weightF * (meanB - meanF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** One grey byte per sampled pixel (every `step`-th row and column), luma for RGB. */
function sampleGrey(data: Uint8Array, width: number, height: number, channels: 1 | 3, step: number): { grey: Uint8Array; w: number; h: number } {
  const w = Math.floor((width - 1) / step) + 1;
  const h = Math.floor((height - 1) / step) + 1;
  if (step === 1 && channels === 1) return { grey: data, w, h };
  const grey = new Uint8Array(w * h);
  for (let y = 0, o = 0; y < h; y++) {
    const row = y * step * width;
    for (let x = 0; x < w; x++, o++) {
      const i = (row + x * step) * channels;
      grey[o] = channels === 1 ? data[i]! : (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
    }
  }
  return { grey, w, h };
}

/** The glyph-shaped components of a page, in full-resolution pixels. */
export interface Glyphs {
  /** Median glyph height. */
  medianHeight: number;
  /** Per glyph: horizontal centre and bottom edge (the baseline for most letters). */
  centres: Float64Array;
  bottoms: Float64Array;
  /** Per glyph: the other edges of its box. */
  lefts: Float64Array;
  rights: Float64Array;
  tops: Float64Array;
  /** The box around the components too large to be glyphs (rules, frames, logos, headings), or null when none. */
  large: { left: number; top: number; right: number; bottom: number } | null;
}

/**
 * The glyph-like dark components of a grey (1 channel) or RGB (3 channels) bitmap,
 * or null when the page shows too few to tell (blank, photo, all rules).
 */
export function findGlyphs(data: Uint8Array, width: number, height: number, channels: 1 | 3): Glyphs | null {
  const step = width * height > HALVE_ABOVE_PIXELS ? 2 : 1;
  const { grey, w, h } = sampleGrey(data, width, height, channels, step);
  // Every third pixel is plenty for the threshold.
  const histogram = new Uint32Array(256);
  for (let i = 0; i < grey.length; i += 3) histogram[grey[i]!]!++;
  const threshold = otsuThreshold(histogram);
  const c = components(grey, w, h, threshold);

  const maxGlyph = h / 20;
  const kept: number[] = [];
  let large: Glyphs['large'] = null;
  for (let i = 0; i < c.parent.length; i++) {
    if (c.parent[i] !== i) continue;
    const ch = c.bottom[i]! - c.top[i]! + 1;
    const cw = c.right[i]! - c.left[i]! + 1;
    if ((ch * step < MIN_GLYPH_PX && cw * step < 4 * MIN_GLYPH_PX) || c.ink[i]! < 6 / step) continue;
    // Rules, underlines and several glyphs merged by a frame line are far wider than tall.
    if (ch > maxGlyph || cw > 4 * ch || ch > 6 * cw) {
      const box = { left: c.left[i]! * step, top: c.top[i]! * step, right: (c.right[i]! + 1) * step, bottom: (c.bottom[i]! + 1) * step };
      large = large ? { left: Math.min(large.left, box.left), top: Math.min(large.top, box.top), right: Math.max(large.right, box.right), bottom: Math.max(large.bottom, box.bottom) } : box;
      continue;
    }
    if (ch * step < MIN_GLYPH_PX) continue;
    kept.push(i);
  }
  if (kept.length < MIN_GLYPHS) return null;
  const heights = kept.map((i) => (c.bottom[i]! - c.top[i]! + 1) * step).sort((a, b) => a - b);
  const centres = new Float64Array(kept.length);
  const bottoms = new Float64Array(kept.length);
  const lefts = new Float64Array(kept.length);
  const rights = new Float64Array(kept.length);
  const tops = new Float64Array(kept.length);
  kept.forEach((i, k) => {
    centres[k] = ((c.left[i]! + c.right[i]! + 1) / 2) * step;
    bottoms[k] = (c.bottom[i]! + 1) * step;
    lefts[k] = c.left[i]! * step;
    rights[k] = (c.right[i]! + 1) * step;
    tops[k] = c.top[i]! * step;
  });
  return { medianHeight: heights[heights.length >> 1]!, centres, bottoms, lefts, rights, tops, large };
}

/** Median height in pixels of the glyph-like components, or null (see `findGlyphs`). */
export function medianGlyphHeight(data: Uint8Array, width: number, height: number, channels: 1 | 3): number | null {
  return findGlyphs(data, width, height, channels)?.medianHeight ?? null;
}

interface Components {
  parent: number[];
  top: number[];
  bottom: number[];
  left: number[];
  right: number[];
  ink: number[];
}

/** Connected components (8-connectivity) of the pixels at or under `threshold`, by union-find over horizontal runs. */
function components(grey: Uint8Array, w: number, h: number, threshold: number): Components {
  const c: Components = { parent: [], top: [], bottom: [], left: [], right: [], ink: [] };
  const { parent, top, bottom, left, right, ink } = c;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    parent[rb] = ra;
    top[ra] = Math.min(top[ra]!, top[rb]!);
    bottom[ra] = Math.max(bottom[ra]!, bottom[rb]!);
    left[ra] = Math.min(left[ra]!, left[rb]!);
    right[ra] = Math.max(right[ra]!, right[rb]!);
    ink[ra] = ink[ra]! + ink[rb]!;
  };
  // Runs of the previous and current row: start, end (exclusive), run id.
  let prev: number[] = [];
  for (let y = 0; y < h; y++) {
    const cur: number[] = [];
    const row = y * w;
    let x = 0;
    while (x < w) {
      if (grey[row + x]! > threshold) {
        x++;
        continue;
      }
      const start = x;
      while (x < w && grey[row + x]! <= threshold) x++;
      const id = parent.length;
      parent.push(id);
      top.push(y);
      bottom.push(y);
      left.push(start);
      right.push(x - 1);
      ink.push(x - start);
      cur.push(start, x, id);
    }
    // Runs touch when they overlap with one pixel of slack (diagonal neighbours).
    let j = 0;
    for (let i = 0; i < cur.length; i += 3) {
      const s = cur[i]!;
      const e = cur[i + 1]!;
      while (j < prev.length && prev[j + 1]! < s) j += 3;
      for (let k = j; k < prev.length && prev[k]! <= e; k += 3) union(prev[k + 2]!, cur[i + 2]!);
    }
    prev = cur;
  }
  return c;
}
