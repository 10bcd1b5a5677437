/**
 * @module The `address` heuristic: the postal address block under the issuer's
 * name, assembled over several lines. It starts at the first line in the top half
 * of the first page that opens an address (house or unit number, street word, postcode)
 * and goes on while the next line follows closely (gap ≤ 1.6 line heights) and is
 * not a phone, registration number, tax id, date, document title or company name — the
 * lines a receipt or letterhead prints right after its address. A branch line in brackets
 * ("(TESCO PUTRA NILAI)") directly under the address belongs to it. A block without a
 * postcode that runs into a company name was a shop or mall name above that name
 * ("Dasa Park City" over "Golden Scoop Sdn Bhd"): the address is looked for after it.
 *
 * Slips of OCR in its common words are put right in the value (address-words.ts).
 *
 * The score grows with what makes a block an address: a postcode (+0.15), more
 * than one line (+0.1); a block of one line without either stays below 0.6.
 */
import { unionBox, type Word } from '../../core/page.ts';
import { gapInLines, isAddressStart, isPhoneLine, isRegistrationLine, isStopLine, legalFormEndingAt, letterRatio, lineConfidence, shape } from './layout.ts';
import { readingConfidence } from './reading.ts';
import { mendAddressWords } from './address-words.ts';
import type { Candidate } from './methods.ts';
import { subLine, type TextLine } from './text.ts';

const MAX_LINES = 6;
const POSTCODE = /\b\d{4,6}\b/;
/** A labelled phone number ("careline : 1800 88 1231", "Outlet: 03-80626265": too many letters for isPhoneLine) or an e-mail address: contact lines after an address. */
const CONTACT = /@|:\s*\(?\+?\d{2,4}\)?[\s-]?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{0,4}\b/;
/** A unit or lot number opening the line ("K3-113,", "A-16-1,", "No: G3,", "G-19 Level G"). */
const UNIT = /^\s*(?:NO\s*[.:]?\s*)?[A-Z]{0,2}\d{0,3}-?[A-Z]?\d{1,4}(?:-\d{1,4}){0,2}[A-Z]?\s*,/i;
/** Street words as OCR reads them (JIn for JLN, BIk for BLK), compared on their OCR shape (layout.ts `shape`). */
const STREET_SHAPES = new Set(['JL', 'JLN', 'JALAN', 'BLK', 'LRG', 'TMN', 'TAMAN', 'LORONG', 'PERSIARAN'].map(shape));
/** "No. :CS00230322", "No: SA0127959": a labelled document number, no house number. */
const NUMBER_LABEL = /\bNO\s*[.:]?\s*:?\s*[A-Z]{0,4}\d{5,}/i;

function endsWithLegalForm(text: string): boolean {
  const words = text.replace(/\s*\([^)]*\d[^)]*\)?\s*$/, '').replace(/[,;:]+$/, '').split(/\s+/);
  return legalFormEndingAt(words, words.length) !== null;
}

function opens(line: TextLine): boolean {
  const text = line.text;
  if (isStopLine(text) || endsWithLegalForm(text) || NUMBER_LABEL.test(text)) return false;
  return isAddressStart(text) || (!isPhoneLine(text) && !isRegistrationLine(text) && (UNIT.test(text) || text.split(/[\s,.]+/).some((w) => STREET_SHAPES.has(shape(w)))));
}

function continues(prev: TextLine, line: TextLine): boolean {
  if (line.page !== prev.page || gapInLines(prev, line) > 1.6) return false;
  if (isStopLine(line.text) || isRegistrationLine(line.text) || isPhoneLine(line.text) || CONTACT.test(line.text)) return false;
  // A line OCR could not read (a logo, a row of symbols, another script) ends the block too.
  return letterRatio(line.text) >= 0.3 && line.box.y < 0.6 * line.pageHeight && lineConfidence(line) >= 0.3;
}

/** A line without the marks OCR left at its end: tiny or unreadable words ("40170 SETIA ALAM a", its "a" read at 0.09). */
function trimmed(line: TextLine): TextLine {
  const heights = line.words.map((w) => w.box.h).sort((a, b) => a - b);
  const median = heights[Math.floor(heights.length / 2)] ?? 0;
  let end = line.words.length;
  const mark = (w: Word): boolean => w.box.h < 0.5 * median || (w.confidence < 0.15 && w.text.length <= 2);
  while (end > 1 && mark(line.words[end - 1] as Word)) end--;
  return end === line.words.length ? line : subLine(line, line.words.slice(0, end));
}

export function addressCandidates(lines: TextLine[]): Candidate[] {
  const top = lines.filter((l) => l.docPage === 0 && l.box.y < 0.5 * l.pageHeight);
  let block: TextLine[] = [];
  let start = -1;
  for (let from = 0; from < top.length && block.length === 0; ) {
    start = top.findIndex((l, i) => i >= from && opens(l));
    if (start < 0) return [];
    block = [top[start] as TextLine];
    let j = start + 1;
    for (; j < top.length && block.length < MAX_LINES; j++) {
      const line = top[j] as TextLine;
      if (!continues(block[block.length - 1] as TextLine, line) || endsWithLegalForm(line.text)) break;
      block.push(line);
    }
    const name = top[j];
    if (name && endsWithLegalForm(name.text) && !POSTCODE.test(block.map((l) => l.text).join(' ')) && block.length <= 2) {
      block = [];
      from = j + 1;
    }
  }
  block = block.map(trimmed);
  const text = block.map((l) => l.text.trim()).join(' ').replace(/\s+/g, ' ');
  const value = mendAddressWords(text);
  const words = block.flatMap((l) => l.words);
  const score = Math.min(1, 0.55 + (POSTCODE.test(text) ? 0.15 : 0) + (block.length > 1 ? 0.1 : 0));
  return [{ value, text, score, ocr: readingConfidence(words), areas: block.map((l) => ({ page: l.page, box: unionBox(l.words.map((w) => w.box)) })), order: start }];
}
