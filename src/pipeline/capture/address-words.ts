/**
 * @module The words postal addresses are made of, and the OCR slips in them put right: an address is
 * a few dozen common words (street, building and area words, state names) around names and numbers,
 * so a word one OCR slip from one of them is that word ("Jalau" → JALAN, "TANAN" → TAMAN,
 * "SE-ANGOR" → SELANGOR, "Ma11" → MALL). A slip is one edit in a word of five letters or more, or
 * letters OCR confuses (layout.ts `shape`: JIn/JLN, BIk/BLK) in a word of three or more; names and
 * numbers are never touched, and a word that is itself a common word stays as printed.
 *
 * The list is of general address vocabulary: English street and building words, the Malay ones of
 * Malaysian addresses (the receipts of the labelled set, docs/eval.md) and the states and federal
 * territories of Malaysia. It is not drawn from the labelled documents' misreads. A name one slip
 * from a Malay word ("Sarah" from SABAH, "Megan" from MEDAN) would be changed too, so the Malay words
 * are put right only in a text that shows at least two of them, as printed or one slip off: an
 * address that is Malaysian by its own words, not a European invoice's "c/o Sarah Smith".
 */
import { similarityAtLeast } from './fuzzy.ts';
import { shape } from './layout.ts';

const GENERAL = [
  'ROAD', 'STREET', 'AVENUE', 'LANE', 'DRIVE', 'FLOOR', 'LEVEL', 'BLOCK', 'BLK', 'UNIT', 'SUITE', 'MALL', 'CENTRE', 'CENTER',
  'PLAZA', 'BUILDING', 'GROUND', 'INDUSTRIAL', 'SHOPPING', 'COMPLEX', 'VILLAGE',
];
const MALAY = [
  'JALAN', 'JLN', 'TAMAN', 'TMN', 'LORONG', 'LRG', 'BANDAR', 'KAWASAN', 'PERINDUSTRIAN', 'SEKSYEN', 'PERSIARAN', 'LEBUH', 'LEBUHRAYA',
  'KOMPLEKS', 'WISMA', 'KAMPUNG', 'MEDAN', 'PUSAT', 'DARUL', 'EHSAN', 'TAKZIM', 'MAKMUR', 'AMAN', 'NAIM', 'KHUSUS',
  'MALAYSIA', 'JOHOR', 'KEDAH', 'KELANTAN', 'MELAKA', 'NEGERI', 'SEMBILAN', 'PAHANG', 'PERAK', 'PERLIS', 'PULAU', 'PINANG', 'PENANG',
  'SABAH', 'SARAWAK', 'SELANGOR', 'TERENGGANU', 'KUALA', 'LUMPUR', 'LABUAN', 'PUTRAJAYA',
];
const WORDS = [...GENERAL, ...MALAY];
const MALAY_SET = new Set(MALAY);
const KNOWN = new Set(WORDS);
const BY_SHAPE = new Map(WORDS.map((w) => [shape(w), w]));

/** The common word a printed word was meant to be, or null (a name, a number, or a common word already). */
function meant(core: string): string | null {
  const letters = core.replace(/[^\p{L}\d]/gu, '').toUpperCase();
  if (letters.length < 3 || KNOWN.has(letters) || !/\p{L}{2}/u.test(core) || /^\d/.test(letters)) return null;
  const byShape = BY_SHAPE.get(shape(letters));
  if (byShape) return byShape;
  if (letters.length < 5 || /\d/.test(letters)) return null;
  let best: string | null = null;
  let score = 0;
  for (const w of WORDS) {
    if (Math.abs(w.length - letters.length) > 1) continue;
    const s = similarityAtLeast(letters, w, 1 - 1 / Math.max(w.length, letters.length) - 1e-9);
    if (s > score) [best, score] = [w, s];
  }
  return best;
}

/** The text with the slips in its common address words put right, in the printed word's case; punctuation around a word stays. */
export function mendAddressWords(text: string): string {
  const TOKEN = /[^\s,.;:]+(?:[-:][^\s,.;]+)?/g;
  // Each token's common word is looked up once, for the count of Malay words and for the mend.
  const tokens = text.match(TOKEN) ?? [];
  const meantOf = new Map(tokens.map((t) => [t, meant(t)]));
  let malay = 0;
  for (const t of tokens) {
    if (MALAY_SET.has(t.replace(/[^\p{L}\d]/gu, '').toUpperCase()) || MALAY_SET.has(meantOf.get(t) ?? '')) malay++;
  }
  return text.replace(TOKEN, (token) => {
    const w = meantOf.get(token) ?? null;
    if (w === null || (malay < 2 && MALAY_SET.has(w))) return token;
    return /^\p{Lu}\p{Ll}/u.test(token) ? w[0] + w.slice(1).toLowerCase() : /^\p{Ll}/u.test(token) ? w.toLowerCase() : w;
  });
}
