/**
 * @module The `buyer` heuristic: the name of the party an invoice is addressed to
 * (EN 16931 BT-44), read from the page when no e-invoice XML gives it.
 *
 * Two kinds of evidence, both about where invoices print the buyer:
 * - under a buyer's heading ("Rechnungsempfänger", "Bill to:", "Facturé à", "Klant"),
 *   the first line in its column that reads like a name (0.85); or on the heading's own
 *   line after its colon ("Bill to: Buyer Inc.");
 * - the address window (DIN 5008 on the left, NF Z 10-011 on the right): a block of
 *   left-aligned lines in the top half of the first page, ending in a postcode and place,
 *   whose first name line is the addressee (0.6; a later such block ×0.6: an agent's).
 * A salutation printed on its own line above the name ("Herrn", "Frau", "Mr") is part
 * of the addressee as printed and is kept; "Firma", "An", "z. Hd." are not names and are
 * dropped, as are the customer-number and GLN lines many blocks start with.
 *
 * Whose: a window block under a seller's heading, or with a delivery heading, is passed
 * over, and so is a name spelt as the issuer's (the best `company` candidate): a sender's
 * return line above the window, or a letterhead block where a buyer's could stand. Measured on the e-invoices' dev half
 * (docs/eval.md "Buyer and amount due").
 */
import { unionBox, type Word } from '../../core/page.ts';
import { companyCandidates, partyKey, partyOf } from './company.ts';
import { DOC_TITLE } from './company-words.ts';
import { simplify } from './fuzzy.ts';
import { gapInLines, isAddressStart, isNameLike } from './layout.ts';
import type { Candidate } from './methods.ts';
import { readingConfidence } from './reading.ts';
import type { TextLine } from './text.ts';
import { row } from './total.ts';

/**
 * A buyer's heading on simplified text (no accents, no punctuation), in English, German, French and Dutch. Delivery
 * headings ("ship to", "Warenempfänger", "adresse de livraison") name the deliver-to party (BT-70), not the buyer.
 */
const HEADING = /^(?:bill(?:ed)? to|sold to|invoice to|customer|client|buyer|kaufer|kunde|(?:rechnungs|leistungs)empfanger|rechnungsadresse|acheteur|adresse de facturation|facture a|factureren aan|klant|afnemer|koper|factuuradres)(?:\s|$)/;
const SALUTATION = /^(?:herrn?|frau|familie|eheleute|mr\.?|mrs\.?|ms\.?|miss|monsieur|madame|mme\.?|dhr\.?|mevr\.?|de heer|mevrouw)$/i;
const NOT_NAME = /^(?:firma|fa\.?|an|to|z\.\s*hd\.?|attn\.?:?|c\/o)\s+/i;
/** Customer numbers, GLNs, references: a line many address blocks start with, never the name. */
const NUMBER_LINE = /\b(?:nr|no|number|nummer|gln|iln|id|ref|kd|kunden\s*-?\s*nr)\b\.?\s*[:.]?\s*[\dA-Z-]*\d/i;
/** A postcode and place: five digits (DE, FR, IT, ES), four digits with letters or a place (NL, BE, AT, CH, DK), or a UK one. */
const POSTCODE_PLACE = /(?:^|\s)(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}(?:\s?[A-Z]{2})?)\s+\p{L}{2}|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/u;
/** A sender's one-line return address above the window ("Lieferant GmbH · Str. 1 · 12345 Ort"). */
const RETURN_LINE = /[·•●|]|\s[-–]\s.*\d{4,5}/;
/** A delivery heading opens a block that is the deliver-to party's (BT-70), not the buyer's. */
const DELIVERY = /^(?:ship(?:ped)? to|deliver(?:y|ed)? to|delivery address|(?:waren|liefer)empfanger|lieferadresse|lieferanschrift|adresse de livraison|livre a|afleveradres|leveradres)(?:\s|$)/;

const HEADED = 0.85;
const WINDOW = 0.6;
const LATER_WINDOW = 0.6;

function candidate(words: Word[], line: TextLine, score: number, order: number): Candidate {
  const value = words.map((w) => w.text).join(' ');
  return { value, text: value, score, ocr: readingConfidence(words, value.split(/\s+/)), areas: [{ page: line.page, box: unionBox(words.map((w) => w.box)) }], order, key: partyKey(value) };
}

/** A street and house number as many European addresses print them, in one word ("Kundenweg 88", "Hauptstr. 4a"). */
const STREET_NUMBER = /^\p{L}[\p{L}.'\- ]{2,}\s\d{1,4}\s?[a-z]?(?:[-/]\d{1,4})?$/u;

/** `line` with what stands right after it on its row (within 15 % of the page width): a label's colon and value. */
function withRight(line: TextLine, lines: TextLine[]): string {
  const full = row(line, lines);
  const reach = line.box.x + line.box.w + 0.15 * line.pageWidth;
  return full.words.filter((w) => w.box.x <= reach).map((w) => w.text).join(' ');
}

/**
 * The words of a name line, without the "Firma"/"An" a line may start with; null for a line that is no name. What
 * stands right after it is read too: a label whose colon or value stands apart ("Nummer   :   GE2020211") is none.
 */
function nameWords(line: TextLine, lines: TextLine[]): Word[] | null {
  if (!isNameLike(line) || isAddressStart(line.text) || STREET_NUMBER.test(line.text.trim()) || SALUTATION.test(line.text.trim())) return null;
  // Its row is read last: `row` looks through every line of the document.
  const near = withRight(line, lines);
  if (NUMBER_LINE.test(near) || /:/.test(near)) return null;
  const m = NOT_NAME.exec(line.text);
  const words = m ? line.words.filter((_, k) => (line.starts[k] as number) >= m[0].length) : line.words;
  return words.length > 0 ? words : null;
}

/**
 * The addressee in `block` (lines top down): the name line right after a salutation line ("Herrn"), kept with it;
 * else the block's first name line. The issuer's own name (a sender's return line, a letterhead above the window)
 * is passed over; a block with a delivery heading is the deliver-to party's.
 */
function addressee(block: readonly TextLine[], lines: TextLine[], issuer: string | null, score: number, order: number): Candidate | null {
  if (block.some((l) => DELIVERY.test(simplify(l.text)))) return null;
  const greeted = block.findIndex((l) => SALUTATION.test(l.text.trim()));
  for (let k = greeted + 1; k < block.length; k++) {
    const line = block[k] as TextLine;
    const words = nameWords(line, lines);
    if (!words) {
      if (isAddressStart(line.text) || STREET_NUMBER.test(line.text.trim())) return null;
      continue;
    }
    if (issuer !== null && partyKey(words.map((w) => w.text).join(' ')) === issuer) continue;
    const salutation = greeted >= 0 && k === greeted + 1 ? (block[greeted] as TextLine).words : [];
    return candidate([...salutation, ...words], line, score, order + k);
  }
  return null;
}

/** Lines under a buyer's heading, or after its colon on the same line. */
function headed(lines: TextLine[], issuer: string | null): Candidate[] {
  const out: Candidate[] = [];
  lines.forEach((line, i) => {
    const text = simplify(line.text);
    // "Customer: 2", "Kunden-Nr.: 009420": a label with a number is no heading.
    if (!HEADING.test(text) || /\d/.test(line.text)) return;
    const colon = line.text.indexOf(':');
    const rest = colon >= 0 ? line.words.filter((_, k) => (line.starts[k] as number) > colon) : [];
    if (rest.length > 0) {
      const sub = { ...line, text: rest.map((w) => w.text).join(' ') };
      if (isNameLike(sub) && !isAddressStart(sub.text)) out.push(candidate(rest, line, HEADED, i));
      return;
    }
    if (text.split(' ').length > 4) return;
    const below: TextLine[] = [];
    for (let j = i + 1; j < lines.length && below.length < 5; j++) {
      const l = lines[j] as TextLine;
      if (l.page !== line.page || gapInLines(below.at(-1) ?? line, l) > 2) break;
      if (Math.abs(l.box.x - line.box.x) <= 0.15 * line.pageWidth) below.push(l);
    }
    const found = addressee(below, lines, issuer, HEADED, i + 1);
    if (found) out.push(found);
  });
  return out;
}

/**
 * Address-window blocks on the first page: left-aligned lines in its top half ending in a postcode line, on either
 * side (DIN 5008 puts the window on the left, NF Z 10-011 on the right). The block's first gap sets its spacing; a
 * gap wider by 0.8 line heights, or over 3, ends it: some layouts space an address's lines by 1.7, and its first
 * gap may be wider still.
 */
function windows(lines: TextLine[], issuer: string | null): Candidate[] {
  const out: Candidate[] = [];
  let seen = 0;
  lines.forEach((line, i) => {
    if (line.docPage !== 0 || line.box.y > 0.5 * line.pageHeight || !POSTCODE_PLACE.test(line.text)) return;
    const block: TextLine[] = [line];
    const at: number[] = [i];
    let spacing = Infinity;
    for (let j = i - 1; j >= 0 && block.length < 7; j--) {
      const l = lines[j] as TextLine;
      const lower = block[0] as TextLine;
      if (l.page !== line.page) break;
      if (Math.abs(l.box.x - line.box.x) > 0.03 * line.pageWidth) continue;
      // The block's first gap sets its spacing; a gap wider by most of a line ends it (the letterhead above the window).
      const gap = gapInLines(l, lower);
      if (gap > Math.min(3, spacing + 0.8) || DOC_TITLE.test(l.text)) break;
      if (spacing === Infinity) spacing = gap;
      block.unshift(l);
      at.unshift(j);
    }
    while (block.length > 0 && RETURN_LINE.test((block[0] as TextLine).text)) {
      block.shift();
      at.shift();
    }
    const top = at[0] ?? i;
    if (block.length < 2 || partyOf(lines, top) === 'seller') return;
    const found = addressee(block.slice(0, -1), lines, issuer, WINDOW * (seen > 0 ? LATER_WINDOW : 1), top);
    if (found) {
      out.push(found);
      seen++;
    }
  });
  return out;
}

/** The buyer's name: under a buyer's heading or in the address window; the issuer's own name is passed over. */
export function buyerCandidates(lines: TextLine[]): Candidate[] {
  const best = companyCandidates(lines).reduce<Candidate | null>((top, c) => (top === null || c.score > top.score ? c : top), null);
  const issuer = best?.key ?? null;
  return [...headed(lines, issuer), ...windows(lines, issuer)];
}
