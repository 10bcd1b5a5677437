/**
 * @module What a line of a receipt or invoice header is, judged from its text: a
 * phone or registration number, a "stop" line (tax id, document title, date), the
 * start of a postal address, a legal-form suffix ending a company name. The
 * built-in heuristics (company.ts, address.ts, total.ts) read layouts with these.
 *
 * OCR reads printed receipts with systematic confusions (O/0/D, S/5, I/l/1, B/8;
 * measured on the SROIE scans: "SDN BHD" read "SON BHD" in 4 of 30, "TEL" read "1EL"),
 * so keywords are compared on an OCR "shape" where confusable characters coincide.
 */
import { similarityAtLeast } from './fuzzy.ts';
import type { TextLine } from './text.ts';

const SHAPE: Record<string, string> = { '0': 'O', D: 'O', Q: 'O', '5': 'S', $: 'S', '1': 'I', L: 'I', '|': 'I', '!': 'I', ']': 'I', '[': 'I', '8': 'B', '6': 'G', '2': 'Z' };

/** Upper case with OCR-confusable characters merged (SDN and SON, TOTAL and TOTA]); other punctuation dropped. */
export function shape(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    const s = SHAPE[ch];
    if (s !== undefined) out += s;
    else if (/[A-Z0-9]/.test(ch)) out += ch;
  }
  return out;
}

/**
 * Legal forms that end a company name, as word sequences (canonical spelling). Short
 * ones (AG, SA, BV) only count as a name's last word, never inside a line.
 */
const LEGAL_FORMS: string[][] = [
  ['SDN', 'BHD'], ['BHD'], ['BERHAD'], ['SB'], ['S/B'], ['PVT', 'LTD'], ['PRIVATE', 'LIMITED'], ['PTY', 'LTD'], ['PTE', 'LTD'],
  ['LTD'], ['LIMITED'], ['INC'], ['LLC'], ['LLP'], ['PLC'], ['GMBH'], ['AG'], ['KG'], ['B.V.'], ['BV'], ['N.V.'], ['NV'],
  ['S.A.'], ['SA'], ['SAS'], ['SARL'], ['SRL'], ['S.P.A.'], ['SPA'], ['OY'], ['AB'], ['A/S'], ['CORP'], ['CORPORATION'],
  ['ENTERPRISE'], ['ENTERPRISES'], ['TRADING'], ['CO.'],
];
const LEGAL_SHAPES = LEGAL_FORMS.map((f) => f.map(shape)).sort((a, b) => b.length - a.length);

export interface LegalForm {
  /** Index of the legal form's first word among the given words. */
  start: number;
  /** Index after its last word. */
  end: number;
  /** The words with the legal form respelt canonically (SON BHD → SDN BHD). */
  words: string[];
}

/** The legal form ending at word `end - 1` of `words`, if any. */
export function legalFormEndingAt(words: readonly string[], end: number): LegalForm | null {
  for (const form of LEGAL_SHAPES) {
    const start = end - form.length;
    if (start < 1) continue;
    // OCR slips are forgiven in capitals only: a lower-case "limite" is a word, not LIMITED.
    if (!form.every((s, i) => sameShape(shape(words[start + i] as string), s, words[start + i] === (words[start + i] as string).toUpperCase()))) continue;
    const original = LEGAL_FORMS.find((f) => f.length === form.length && f.every((w, i) => shape(w) === form[i])) as string[];
    const respelt = words.map((w, i) => (i >= start && i < end ? respell(w, original[i - start] as string) : w));
    return { start, end, words: respelt };
  }
  return null;
}

/** Equal shapes, or for one-word forms of 6+ letters an OCR slip or two (ENIERPRISE, LIMITEO). */
function sameShape(word: string, form: string, fuzzy = true): boolean {
  return word === form || (fuzzy && form.length >= 6 && Math.abs(word.length - form.length) <= 1 && similarityAtLeast(word, form, 0.8) > 0);
}

/** The canonical spelling with the word's trailing punctuation: "SON." → "SDN.", "$B" → "SB"; "S/B" and "B.V." stay as printed. */
function respell(word: string, canonical: string): string {
  const m = /^(.*?)([,.;:]*)$/.exec(word) as RegExpExecArray;
  const core = m[1] as string;
  if (/[./]/.test(core) || !sameShape(shape(core), shape(canonical))) return word;
  const titled = /^[A-Z][a-z]/.test(core) && canonical.length > 2;
  return `${titled ? canonical[0] + canonical.slice(1).toLowerCase() : canonical}${m[2]}`;
}

const WORD_CHARS = /[\p{L}]/gu;
export function letterRatio(text: string): number {
  const t = text.replace(/\s+/g, '');
  if (t === '') return 0;
  return (t.match(WORD_CHARS)?.length ?? 0) / t.length;
}

/** A phone number: 8+ digits in groups, few letters ("TEL : 03-61855688", "013-336 3999"). */
export function isPhoneLine(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return digits >= 8 && /\d{2,4}[-\s)]{1,3}\d{3,4}[-\s]?\d{3,4}/.test(text) && letterRatio(text) < 0.35;
}

/** A company registration number: "(867388-U)", "Roc: 1026984-X", "CO.REG : 704427-T". */
export function isRegistrationLine(text: string): boolean {
  const t = text.trim();
  // Only the line's end can match (`$`), so its last 64 characters are read, and a match starts only where digits start:
  // `\d{4,}\s*[-–]?\s*[A-Z]…$` retried from every digit took 0.7 s on a line of 4000 digits.
  if (!/(?<!\d)\d{4,}\s*(?:[-–]\s*)?[A-Z]\W{0,3}$/i.test(t.slice(-64)) && !/\b(?:CO\.?\s*K?REG|ROC|REG(?:ISTRATION)?\s*NO|COMPANY\s*NO)\b/i.test(t)) return false;
  return (t.match(/\p{L}/gu)?.length ?? 0) <= 10;
}

const STOP_WORDS = /\b(?:TEL|TELEPHONE|PHONE|FAX|H\/P|HP|GST|SST|VAT|TAX|INVOICE|RECEIPT|E-?MAIL|WWW|HTTPS?|CASHIER|DATE|TIME|TABLE|BILL|ORDER|SLIP|TRANS|CHECK|MEMBER|ID\.?\s*NO|REG\.?\s*NO|OPERATOR|COUNTER|TERMINAL)\b/i;

/** Long stop words OCR may misread ("INVOTCE"): matched at similarity ≥ 0.8. */
const FUZZY_STOPS = ['INVOICE', 'RECEIPT', 'CASHIER', 'TELEPHONE', 'OPERATOR', 'TERMINAL', 'MEMBER'];

/**
 * An e-mail-like token, `@\S+\.\w` anywhere. Starting only at a token's first `@`
 * gives the same answer (a later `@` in the token finds nothing the first misses)
 * in linear time, where the plain form took 89 ms on a line of 4000 `@`.
 */
const EMAIL = /(?:^|\s)[^\s@]*@\S+\.\w/;

/** A line that ends a header block: phone, tax id, document title, date, table header. */
export function isStopLine(text: string): boolean {
  const s = shape(text.split(/\s+/)[0] ?? '');
  if (STOP_WORDS.test(text) || /INVOICE|RECEIPT/i.test(text) || isPhoneLine(text) || s === 'TEI' || /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(text) || EMAIL.test(text) || /\d{9,}/.test(text)) return true;
  const words = text.toUpperCase().match(/\p{L}{5,}/gu) ?? [];
  return words.some((w) => FUZZY_STOPS.some((k) => Math.abs(k.length - w.length) <= 1 && similarityAtLeast(w, k, 0.8) > 0));
}

/**
 * Street and area words that no company name carries: the part of `STREET` a name
 * is judged by. Not "ST" (OCR makes it of the start of STATIONERY) nor words a name
 * may hold (PARK, PLAZA, INDUSTRIAL, BUILDING).
 */
const PLACE_WORDS = 'JALAN|JLN|TAMAN|TMN|LORONG|LRG|LOT|ROAD|STREET|AVENUE|KAWASAN|BANDAR|PERSIARAN|STRASSE|STRAAT';
const PLACE_WORD = new RegExp(String.raw`\b(?:${PLACE_WORDS})\b`, 'i');
const STREET = new RegExp(
  String.raw`\b(?:${PLACE_WORDS}|NO|LOTS|BLOCK|BLK|UNIT|LEVEL|LVL|SUITE|FLOOR|FLR|GROUND|RD|ST|AVE|LANE|DRIVE|LEBUH|SEKSYEN|PLAZA|BUILDING|BLDG|KOMPLEKS|WEG|RUE|VIA|CALLE|PARK|INDUSTRIAL|INDS)\b`,
  'i',
);

/** Whether the text names a street or area ("NU.1 TAMAN SRL" is an address, whatever OCR made of SRI). */
export function hasPlaceWord(text: string): boolean {
  return PLACE_WORD.test(text);
}

/**
 * A five-digit postcode followed by a word: `\b\d{5}\b.*\p{L}{3}`, read from the
 * first postcode only (a later one sees less of the line), which is linear where the
 * plain form took 37 ms on a line of 4000 characters of postcodes.
 */
function postcodeThenPlace(text: string): boolean {
  const m = /\b\d{5}\b/.exec(text);
  return m !== null && /\p{L}{3}/u.test(text.slice(m.index + 5));
}

/** The first line of a postal address: a house number, a street word, or a postcode with a place. */
export function isAddressStart(text: string): boolean {
  if (isPhoneLine(text) || isRegistrationLine(text)) return false;
  // "No: SA0127959" labels a number; "No. 12," or "NO 2A" is a house number.
  return STREET.test(text.replace(/\bNO\s*:/gi, ' ')) || /^\s*(?:NO\.?\s*)?\d{1,5}[A-Z]?(?:[-/]\d+)?[A-Z]?\s*[,&]/i.test(text) || postcodeThenPlace(text);
}

/** A line that reads like a name: mostly letters, at least three of them. */
export function isNameLike(line: TextLine): boolean {
  const letters = line.text.match(/\p{L}/gu)?.length ?? 0;
  return letters >= 3 && letterRatio(line.text) >= 0.6;
}

/** Mean OCR confidence of a line's words. */
export function lineConfidence(line: TextLine): number {
  return line.words.length === 0 ? 0 : line.words.reduce((s, w) => s + w.confidence, 0) / line.words.length;
}

/** Vertical gap between two lines, in units of the upper line's height. */
export function gapInLines(upper: TextLine, lower: TextLine): number {
  return (lower.box.y - (upper.box.y + upper.box.h)) / Math.max(4, Math.min(upper.box.h, lower.box.h));
}
