/**
 * @module Reads a page the right way up. Two cases, measured on the corpus's turned
 * pages (`pdf-scanned/cardinal.pdf` at 0/90/180/270°, `images/phototest-rotated-L.png`):
 *
 * - Turned by 90° or 270°: Tesseract often reads the text anyway, as vertical lines
 *   (confidence 0.95 on cardinal p. 2), so the words are kept and only their boxes
 *   are turned; the direction comes from the way the words of a line run.
 * - Upside down (and 90° pages Tesseract misreads): the reading is poor (confidence-
 *   weighted mean 0.26 and 0.38 against 0.95 upright), so the page is read again
 *   turned 180°, then 90° and 270°, stopping at the first good reading. When most of
 *   the poor reading's long words are wider than tall, its lines run across the page,
 *   so the page is upright or upside down and only 180° is tried, one reading instead
 *   of three. Of the SROIE receipts read poorly (11 of the first 122 read), the upright
 *   sroie-013 and sroie-272, all words across, scored 1.2× "better" turned 90° (a
 *   mean of 0.54 over more specks) and were kept turned; no receipt or corpus page
 *   with its words across read better at 90° or 270° than at 0° or 180°.
 *
 * Good pages, nearly all, pay nothing. Tesseract's own orientation detection
 * (`--psm 0`) was not used: it took 0.8 s an A4 page here, a third of the OCR time,
 * and tesseract.js ships no OSD model.
 */
import sharp from 'sharp';
import type { Rotation } from '../../core/page.ts';
import { eightBit, type OcrEngine, type OcrImage, type OcrWord, type RecognizeOptions } from './types.ts';

const POOR = 0.6;
const GOOD = 0.8;
/** Fewer letters than this and orientation is left alone (a page number says too little). */
const MIN_MASS = 20;
const ALNUM = /[\p{L}\p{N}]/gu;

/** Confidence-weighted over letters and digits, so stray specks count for little. */
export function readingScore(words: readonly OcrWord[]): { mean: number; mass: number } {
  let mass = 0;
  let weighted = 0;
  for (const w of words) {
    const n = w.text.match(ALNUM)?.length ?? 0;
    mass += n;
    weighted += n * w.confidence;
  }
  return { mean: mass > 0 ? weighted / mass : 0, mass };
}

export async function rotateGrey(packed: OcrImage, rotation: Rotation): Promise<OcrImage> {
  if (rotation === 0) return packed;
  const image = eightBit(packed);
  let turned = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).rotate(rotation);
  // sharp turns raw grey input into sRGB unless told otherwise.
  if (image.channels === 1) turned = turned.greyscale();
  const { data, info } = await turned.raw().toBuffer({ resolveWithObject: true });
  return { ...image, data, width: info.width, height: info.height };
}

/** Whether most long words (4+ characters, at least 5 of them) are 1.5× as wide as tall: lines run across the image. */
export function horizontalLines(words: readonly OcrWord[]): boolean {
  const long = words.filter((w) => w.text.length >= 4);
  return long.length >= 5 && long.filter((w) => w.w > 1.5 * w.h).length >= 0.6 * long.length;
}

/** 90 or 270 when most words are vertical, by the direction their lines run; else 0. */
export function verticalRotation(words: readonly OcrWord[]): Rotation {
  const long = words.filter((w) => w.text.length >= 4);
  if (long.length < 5 || long.filter((w) => w.h > 1.5 * w.w).length < 0.6 * long.length) return 0;
  let down = 0;
  for (let i = 1; i < words.length; i++) {
    const a = words[i - 1]!;
    const b = words[i]!;
    if (a.line === b.line) down += Math.sign(b.y - a.y);
  }
  // Lines running down the image: the page was turned clockwise, so turning it 270° more puts it upright.
  return down >= 0 ? 270 : 90;
}

/** A word's box after turning a width × height image clockwise by `rotation`. */
export function turnWord(w: OcrWord, rotation: Rotation, width: number, height: number): OcrWord {
  switch (rotation) {
    case 90:
      return { ...w, x: height - (w.y + w.h), y: w.x, w: w.h, h: w.w };
    case 180:
      return { ...w, x: width - (w.x + w.w), y: height - (w.y + w.h) };
    case 270:
      return { ...w, x: w.y, y: width - (w.x + w.w), w: w.h, h: w.w };
    default:
      return w;
  }
}

export interface UprightReading {
  /** Boxes in pixels of the page turned upright. */
  words: OcrWord[];
  rotation: Rotation;
  dpi: number;
  /** What was left undone on the page, and why (the page model's `notes`). */
  notes?: string[];
}

/** Keeps words read on an image turned by `rotation`, turning their boxes further when they run vertically. */
function settle(words: OcrWord[], rotation: Rotation, image: OcrImage): UprightReading {
  const more = verticalRotation(words);
  const total = ((rotation + more) % 360) as Rotation;
  return { words: words.map((w) => turnWord(w, more, image.width, image.height)), rotation: total, dpi: image.dpi };
}

export async function readUpright(
  engine: OcrEngine,
  image: OcrImage,
  options: RecognizeOptions & { detectOrientation: boolean },
): Promise<UprightReading> {
  const words = await engine.recognize(image, options);
  const first = readingScore(words);
  if (!options.detectOrientation || first.mass < MIN_MASS) return { words, rotation: 0, dpi: image.dpi };
  if (first.mean >= POOR) return settle(words, 0, image);
  let best = { words, rotation: 0 as Rotation, image };
  let bestScore = first.mean * first.mass;
  const turns: readonly Rotation[] = horizontalLines(words) ? [180] : [180, 90, 270];
  for (const rotation of turns) {
    const turned = await rotateGrey(image, rotation);
    const reading = await engine.recognize(turned, options);
    const score = readingScore(reading);
    if (score.mean * score.mass > bestScore * 1.2) {
      best = { words: reading, rotation, image: turned };
      bestScore = score.mean * score.mass;
    }
    if (score.mean >= GOOD) break;
  }
  return settle(best.words, best.rotation, best.image);
}
