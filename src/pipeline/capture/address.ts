/**
 * @module The `address` heuristic: the postal address block under the issuer's
 * name, assembled over several lines. It starts at the first line in the top half
 * of the first page that opens an address (house number, street word, postcode)
 * and goes on while the next line follows closely (gap ≤ 1.6 line heights) and is
 * not a phone, registration number, tax id, date or document title — the lines a
 * receipt or letterhead prints right after its address. A branch line in brackets
 * ("(TESCO PUTRA NILAI)") directly under the address belongs to it.
 *
 * The score grows with what makes a block an address: a postcode (+0.15), more
 * than one line (+0.1); a block of one line without either stays below 0.6.
 */
import { unionBox } from '../../core/page.ts';
import { gapInLines, isAddressStart, isPhoneLine, isRegistrationLine, isStopLine, legalFormEndingAt, letterRatio } from './layout.ts';
import { readingConfidence } from './reading.ts';
import type { Candidate } from './methods.ts';
import type { TextLine } from './text.ts';

const MAX_LINES = 6;
const POSTCODE = /\b\d{4,6}\b/;
/** A labelled phone number ("careline : 1800 88 1231": too many letters for isPhoneLine) or an e-mail address: contact lines after an address. */
const CONTACT = /@|:\s*\+?\d{3,4}[\s-]\d{2,4}[\s-]\d{3,4}/;

function endsWithLegalForm(text: string): boolean {
  const words = text.replace(/[,;:]+$/, '').split(/\s+/);
  return legalFormEndingAt(words, words.length) !== null;
}

function continues(prev: TextLine, line: TextLine): boolean {
  if (line.page !== prev.page || gapInLines(prev, line) > 1.6) return false;
  if (isStopLine(line.text) || isRegistrationLine(line.text) || isPhoneLine(line.text) || CONTACT.test(line.text)) return false;
  return letterRatio(line.text) >= 0.3 && line.box.y < 0.6 * line.pageHeight;
}

export function addressCandidates(lines: TextLine[]): Candidate[] {
  const top = lines.filter((l) => l.docPage === 0 && l.box.y < 0.5 * l.pageHeight);
  const start = top.findIndex((l) => isAddressStart(l.text) && !isStopLine(l.text) && !endsWithLegalForm(l.text));
  if (start < 0) return [];
  const block = [top[start] as TextLine];
  for (let j = start + 1; j < top.length && block.length < MAX_LINES; j++) {
    const line = top[j] as TextLine;
    if (!continues(block[block.length - 1] as TextLine, line)) break;
    block.push(line);
  }
  const text = block.map((l) => l.text.trim()).join(' ').replace(/\s+/g, ' ');
  const words = block.flatMap((l) => l.words);
  const score = Math.min(1, 0.55 + (POSTCODE.test(text) ? 0.15 : 0) + (block.length > 1 ? 0.1 : 0));
  return [{ value: text, text, score, ocr: readingConfidence(words), areas: block.map((l) => ({ page: l.page, box: unionBox(l.words.map((w) => w.box)) })), order: start }];
}
