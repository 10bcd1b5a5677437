/**
 * @module The `company` heuristic: the issuer's name. Two kinds of evidence:
 *
 * - a name ending in a legal form (SDN BHD, LTD, GMBH, INC, B.V., …; OCR-tolerant,
 *   respelt canonically) anywhere in the document, stronger near the top of the first
 *   page and weaker next to "bill to" / "attn" (that is the customer's name);
 * - the header name: the first confident, mostly-letter line at the top of the first
 *   page, before the address (a shop's name seldom carries its legal form).
 *
 * A legal-form line with a single word before the form ("STATIONERY SDN BHD") is
 * joined to the name line right above it: long names wrap (SROIE receipt 317).
 * Candidates of the same name with and without the legal form pool their evidence
 * (`key`), so a name printed in the header and again in the footer is surer. Another
 * name below the header block (past its first phone, tax id, title or date line) scores
 * ×0.5: the customer under "TAX INVOICE", or the owner a shop prints under "Owned by".
 */
import { unionBox, type Word } from '../../core/page.ts';
import { simplify } from './fuzzy.ts';
import { gapInLines, hasPlaceWord, isAddressStart, isNameLike, isPhoneLine, isRegistrationLine, isStopLine, legalFormEndingAt, lineConfidence, type LegalForm } from './layout.ts';
import { beforeTitle, bracketWords, DOC_TITLE, FUNCTION_WORD, QUALIFIER } from './company-words.ts';
import { cutShort, withNameEvidence } from './name-evidence.ts';
import { readingConfidence } from './reading.ts';
import type { Candidate } from './methods.ts';
import { oncePerLines, splitOnGaps, type TextLine } from './text.ts';

/** Words that make a nearby name the customer's, not the issuer's. */
const CUSTOMER = /\b(?:bill(?:ed)?\s*to|ship(?:ped)?\s*to|sold\s*to|deliver(?:y|ed)?\s*to|attn|attention|customer|client|buyer|recipient|kunde|klant|destinataire)\b/i;
/**
 * Headings of a party block in English, German, French and Dutch, matched on simplified text (no accents):
 * the name under "Käufer/Leistungsempfänger:" or "Rechnungsempfänger" is the buyer's, under "Verkäufer:" or
 * "Rechnungsersteller" the issuer's. Two-column invoices put the block's number or street between heading and name.
 */
const BUYER_HEADING = /(?:^|\s)(?:bill(?:ed)? to|ship(?:ped)? to|sold to|invoice to|deliver(?:y|ed)? to|customer|client|buyer|recipient|kaufer|kunde|kunden|(?:rechnungs|waren|leistungs|zahlungs)?empfanger|destinataire|acheteur|adresse de (?:facturation|livraison)|facture a|klant|afnemer|koper|factuuradres)(?:\s|$)/;
const SELLER_HEADING = /(?:^|\s)(?:seller|supplier|vendor|from|issued by|verkaufer|lieferant|rechnungsersteller|fournisseur|vendeur|emetteur|leverancier|verkoper)(?:\s|$)/;
/** A buyer's heading above a name: ×0.4, as "bill to" on the line before (CUSTOMER); a seller's: ×1.25. */
const BUYER = 0.4;
const SELLER = 1.25;

/**
 * The party whose block holds line `i`: the nearest heading line above it on the page, in its column (left
 * edges within 15 % of the page width), at most six lines and eight line heights up. A heading is a short line
 * (up to four words) or one ending in ":"; a sentence that mentions a customer is none. A title or an amount
 * on the way up ends the search.
 */
export function partyOf(lines: readonly TextLine[], i: number): 'buyer' | 'seller' | null {
  const line = lines[Math.round(i)];
  if (!line) return null;
  for (let j = Math.round(i) - 1, seen = 0; j >= 0 && seen < 6; j--) {
    const l = lines[j] as TextLine;
    if (l.page !== line.page || line.box.y - l.box.y > 8 * Math.max(4, line.box.h)) break;
    if (Math.abs(l.box.x - line.box.x) > 0.15 * line.pageWidth) continue;
    seen++;
    const text = simplify(l.text);
    if (text.split(' ').length > 4 && !/:\s*$/.test(l.text)) continue;
    if (SELLER_HEADING.test(text)) return 'seller';
    if (BUYER_HEADING.test(text)) return 'buyer';
    // A document title or an amount between ends the block: a footer name is in no party block above it.
    if (DOC_TITLE.test(l.text) || /\d[.,]\d{2}(?!\d)/.test(l.text)) return null;
  }
  return null;
}



/** The key of a printed name, its legal form found at its end: what `companyCandidates` pools by. */
export function partyKey(text: string): string {
  const words = text.split(/\s+/);
  return nameKey(text, legalFormEndingAt(words, words.length));
}

/** A name key that ignores case, punctuation and the legal form, so "Coolblue" and "Coolblue B.V." pool. */
export function nameKey(text: string, form?: LegalForm | null): string {
  const words = text.split(/\s+/);
  const cut = form ? words.slice(0, form.start) : words;
  return simplify(cut.join(' ')).replace(/\s+/g, '');
}

function candidate(value: string, words: Word[], line: TextLine, score: number, order: number, key: string): Candidate {
  return { value, text: value, score, ocr: readingConfidence(words, value.split(/\s+/)), areas: [{ page: line.page, box: unionBox(words.map((w) => w.box)) }], order, key };
}

/** Top of the first page scores 1, its bottom 0.6, later pages 0.5. */
function placeFactor(line: TextLine): number {
  if (line.docPage > 0) return 0.5;
  return 1 - 0.4 * Math.min(1, line.box.y / Math.max(1, line.pageHeight));
}

/** A short capitalised name line right above `line`: the first part of a wrapped name. */
function wrapsInto(above: TextLine, line: TextLine): boolean {
  const words = above.text.split(/\s+/);
  // A heading ("Verkäufer:") ends in a colon; a name's first part does not.
  return above.page === line.page && gapInLines(above, line) < 1 && !/:\s*$/.test(above.text) && words.length <= 4 && words.every((w) => !/^\p{Ll}/u.test(w)) && isNameLike(above) && !isStopLine(above.text) && !isRegistrationLine(above.text);
}

function legalNames(lines: TextLine[], cut: Set<Candidate>): Candidate[] {
  const out: Candidate[] = [];
  lines.forEach((line, i) => {
    const context = `${lines[i - 1]?.text ?? ''} ${line.text}`;
    for (const seg of splitOnGaps(line, 1.5)) {
      const words = bracketWords(seg.words);
      // A bracket starts a registration number ("S/B (519537-X)"): the word keeps what is before it, and a name never goes
      // over it. A bracketed word of letters is the country in the name ("MR D.I.Y. (M) SDN BHD", "(MALAYSIA) SDN BHD").
      const texts = words.map((w) => (QUALIFIER.test(w.text) ? w.text : w.text.replace(/[([{<].*$/, '').replace(/[,;:]+$/, '')));
      const bracket = words.findIndex((w) => /[([{<]/.test(w.text) && !QUALIFIER.test(w.text));
      // The longest name before the first bracket: "ACME TRADING SDN BHD", not "ACME TRADING".
      for (let end = bracket >= 0 ? bracket + 1 : texts.length; end >= 2; end--) {
        const form = legalFormEndingAt(texts, end);
        if (!form) continue;
        // A lower-case word ends a capitalised name ("… votre facture Free SAS").
        const lower = texts.slice(0, end).every((t) => !/^\p{Lu}/u.test(t));
        let start = form.start;
        while (start > 0 && form.start - start < 6) {
          const w = words[start - 1] as Word;
          if (/[:|]$/.test(w.text) || (start - 1 !== bracket && /[([{<]/.test(w.text) && !QUALIFIER.test(w.text)) || /^[-–−|•]$/.test(w.text) || FUNCTION_WORD.test(w.text) || !/\p{L}|\d/u.test(w.text) || (/^\p{Ll}[^\p{Lu}]*$/u.test(w.text) && !lower)) break;
          start--;
        }
        // French and Italian names keep lower-case words after a capital ("Au bon moulin SARL"): a segment that opens
        // with a capital and holds letters only up to the legal form (at most four words) is the name whole.
        if (start > 0 && form.start <= 4 && /^\p{Lu}/u.test(texts[0] ?? '') && texts.slice(0, form.start).every((t) => /^\p{L}[\p{L}'’-]*$/u.test(t) && !FUNCTION_WORD.test(t))) start = 0;
        if (start === form.start) continue;
        let value = form.words.slice(start, end).join(' ').replace(/^[^\p{L}\d]+|[,;:\s]+$/gu, '');
        let used = words.slice(start, end);
        const above = lines[i - 1];
        if (form.start - start === 1 && start === 0 && above && wrapsInto(above, line)) {
          value = `${above.text.replace(/[^\p{L}\d&.\s-]/gu, '').trim()} ${value}`;
          used = [...above.words, ...used];
        }
        // An address is not a name, even where OCR makes a legal form of a place word ("TAMAN SRI" read "SRL": SROIE receipt 617).
        const score = 0.8 * placeFactor(line) * (CUSTOMER.test(context) ? 0.4 : 1) * (hasPlaceWord(value.replace(/\([^)]*\)/g, ' ')) ? 0.3 : 1);
        const c = candidate(value, used, line, score, i, partyKey(value));
        if (used[0] === words[start] && cutShort(words, start)) cut.add(c);
        out.push(c);
        break;
      }
    }
  });
  return out;
}

/** The first confident name-like line at the top of the first page, before any address or stop line. */
function headerName(lines: TextLine[], cut: Set<Candidate>): Candidate[] {
  for (const [i, line] of lines.entries()) {
    if (line.docPage > 0 || line.box.y > 0.35 * line.pageHeight) break;
    if (isAddressStart(line.text)) break;
    if (isStopLine(line.text) && !DOC_TITLE.test(line.text)) continue;
    if (!isNameLike(line) || lineConfidence(line) < 0.5 || isPhoneLine(line.text) || isRegistrationLine(line.text)) continue;
    const seg = splitOnGaps(line, 1.5)[0] as TextLine;
    const value = beforeTitle(seg.text).replace(/^[^\p{L}\d]+|[^\p{L}\d.)]+$/gu, '').trim();
    if (!/\p{L}{2,}/u.test(value)) continue;
    const words = value.split(/\s+/);
    const form = legalFormEndingAt(words, words.length);
    const c = candidate(value, seg.words, line, 0.5, i, nameKey(value, form));
    if (cutShort(seg.words, seg.words.findIndex((w) => /[\p{L}\d]/u.test(w.text)))) cut.add(c);
    return [c];
  }
  return [];
}

/** A name line under a seller's heading, without a legal form, scores as a header name does (0.5); the heading adds ×1.25. */
const BLOCK_NAME = 0.5;

/**
 * The first name-like line of each seller block ("Verkäufer:", "Rechnungsersteller", "Supplier"): within five lines
 * below the heading in its column, past the block's labelled numbers ("Nummer : 549910", "Globale Nummer: …").
 * Names without a legal form ("MUSTER-Autovermietung", "Physiotherapeutin") are found nowhere else.
 */
function sellerBlockNames(lines: TextLine[]): Candidate[] {
  const out: Candidate[] = [];
  lines.forEach((head, i) => {
    const text = simplify(head.text);
    if (!SELLER_HEADING.test(text) || (text.split(' ').length > 4 && !/:\s*$/.test(head.text))) return;
    for (let j = i + 1, seen = 0; j < lines.length && seen < 5; j++) {
      const l = lines[j] as TextLine;
      if (l.page !== head.page) break;
      if (Math.abs(l.box.x - head.box.x) > 0.15 * head.pageWidth) continue;
      seen++;
      // A label whose value is read on as the next line (": 549910") is no name either.
      const label = /^\s*:/.test(lines[j + 1]?.text ?? '') || /(?:^|\s)(?:nummer|number|nr|no|id)$/.test(simplify(l.text));
      if (label || /:/.test(l.text) || !isNameLike(l) || isAddressStart(l.text) || isPhoneLine(l.text) || isRegistrationLine(l.text)) continue;
      const seg = splitOnGaps(l, 1.5)[0] as TextLine;
      const value = seg.text.replace(/^[^\p{L}\d]+|[^\p{L}\d.)]+$/gu, '').trim();
      if (!/\p{L}{2,}/u.test(value)) continue;
      const words = value.split(/\s+/);
      out.push(candidate(value, seg.words, l, BLOCK_NAME, j, nameKey(value, legalFormEndingAt(words, words.length))));
      return;
    }
  });
  return out;
}

/** A name printed below the header block, when a name heads the page above it: ×0.5. */
const BELOW_HEADER = 0.5;

/**
 * Where the issuer's header block ends: the first stop line (phone, tax id, document title, date) after the first
 * name found on the first page. A name further down — the customer under "TAX INVOICE", the owning company under
 * "Owned by" — is seldom the issuer when one heads the page (SROIE: a shop's name, then its owner's legal name).
 */
function headerEnd(lines: readonly TextLine[], first: number): number {
  for (let k = first + 1; k < lines.length && (lines[k] as TextLine).docPage === 0; k++) if (isStopLine((lines[k] as TextLine).text)) return k;
  return lines.length;
}

/** The names of a document's lines, found once: the `company` field and the buyer (buyer.ts) read them. */
export const companyCandidates = oncePerLines(findNames);

function findNames(lines: TextLine[]): Candidate[] {
  const cut = new Set<Candidate>();
  const found = withNameEvidence([...legalNames(lines, cut), ...headerName(lines, cut), ...sellerBlockNames(lines)], lines, cut);
  const first = Math.min(...found.map((c) => c.order));
  const end = Number.isFinite(first) && lines[Math.round(first)]?.docPage === 0 ? headerEnd(lines, Math.round(first)) : lines.length;
  // The header's own name spelt again below ("Coolblue" on top, "Coolblue B.V." in the footer) is no other party.
  const heading = new Set(found.filter((c) => c.order <= end).map((c) => c.key));
  return found.map((c) => {
    const party = partyOf(lines, c.order);
    const below = c.order > end && !heading.has(c.key) ? BELOW_HEADER : 1;
    return party === 'buyer' ? { ...c, score: c.score * BUYER * below } : party === 'seller' ? { ...c, score: Math.min(1, c.score * SELLER) } : { ...c, score: c.score * below };
  });
}
