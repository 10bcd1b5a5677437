/**
 * @module The `tax` and `subtotal` heuristics: an invoice's tax amount and its amount
 * before tax, read by their arithmetic rather than by the first amount right of a label.
 *
 * Why: a tax line prints its rate and often its base beside the tax ("MwSt 19 % auf
 * 252,10: 47,90", "TVA 20,00 % 218,48 43,70"), so the first amount right of "MwSt" is
 * the rate or the base. On the e-invoices' dev half the label reading took the tax
 * right on 6 of 34 (the base or the rate 28 times) and the subtotal on 3 of 35.
 *
 * A split of the document's total T (total.ts, its best reading) is a tax amount t
 * printed with decimals on a tax line (VAT, MwSt, USt, TVA, BTW, GST, …, not a tax
 * number or a "tax invoice" title) and the rest n = T − t, with |t| < |n| (no VAT rate
 * reaches 100 %). It is surer when n is printed too (+0.3), when t is n times a rate
 * printed on t's line (+0.2) or a standard VAT rate (+0.1), and when t is its line's
 * last amount (+0.05). Several tax lines, one per rate, add up: their last amounts
 * summed are a split too. Without any split that fits, the tax line's last amount
 * and the amount of a net-total line (total.ts WEAK: "subtotal", "Nettobetrag",
 * "total HT"; "net amount", "netto") are weak readings (0.4), as the label reading was. A split is no surer
 * than its total: a second total reading close to the first lowers it by up to 25 %.
 */
import { unionBox, type Word } from '../../core/page.ts';
import type { Candidate } from './methods.ts';
import { meanConfidence, oncePerLines, type TextLine } from './text.ts';
import { amountsAfter, row, totalCandidates, WEAK, type RowAmount } from './total.ts';

const TAX = /\b(?:VAT|TAX|TAXES|GST|SST|HST|MWST|MW\.?\s?ST|UST|TVA|BTW|IVA|UMSATZSTEUER|MEHRWERTSTEUER|STEUER(?:BETRAG)?)\b/i;
/** Tax numbers, titles and totals that merely include the tax: no tax amount on them. */
const NOT_TAX = /\b(?:ID|IDNR|NO|NR|NUMBER|NUMMER|REG|REGISTRATION|INVOICE|RECHNUNG)\b|STEUERNUMMER|\b(?:INCL|INKL|INCLUDING|INKLUSIVE|TTC)\b/i;
/** Net totals total.ts does not rank as weak totals, in the languages the demo reads (the label list these heuristics replace). */
const NET = /\b(?:NET\s+AMOUNT|AMOUNT\s+BEFORE\s+TAX|NETTO|TOTAAL\s+EXCL|MONTANT\s+HT)\b/i;
/** VAT rates in use in Europe and elsewhere (percent): a tax that fits one of them is likelier a tax. */
const RATES = [0, 2.1, 2.5, 3, 3.7, 4, 5, 5.5, 6, 7, 7.7, 8, 8.1, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27];

interface Split {
  tax: number;
  net: number;
  score: number;
  taxWords: Word[];
  netWords: Word[];
  netPage: number;
  line: number;
}

const cents = (v: number): number => Math.round(v * 100);
/** Tax rounded per line or per rate differs from rate × base by a few cents. */
const fits = (net: number, tax: number, rate: number): boolean => Math.abs((Math.abs(net) * rate) / 100 - Math.abs(tax)) <= 0.02 + Math.abs(net) * 0.0005;

function percents(line: TextLine): number[] {
  return [...line.text.matchAll(/(\d{1,2}(?:[.,]\d{1,2})?)\s*%/g)].map((m) => Number((m[1] as string).replace(',', '.')));
}

/** The amounts of a line that are no percentage ("19 %", "19,00%"). */
function amountsOf(line: TextLine): RowAmount[] {
  return amountsAfter(line, 0).filter((a) => {
    const last = a.words[a.words.length - 1];
    const next = last ? line.words[line.words.indexOf(last) + 1] : undefined;
    return a.decimals && !a.words.some((w) => w.text.includes('%')) && next?.text.startsWith('%') !== true;
  });
}

/** The tax and subtotal fields of one document read the same splits: computed once per document's lines. */
const splits = oncePerLines(findSplits);

function findSplits(lines: TextLine[]): Split[] {
  const totals = [...totalCandidates(lines)].sort((a, b) => b.score - a.score);
  const total = totals[0];
  if (!total || typeof total.value !== 'number' || total.value === 0) return [];
  const T = total.value;
  // A split is no surer than the total it splits: a close second total (as extract.ts's margin) lowers it.
  const rival = totals.find((c) => c.value !== T);
  const sure = rival ? 1 - 0.25 * Math.min(1, rival.score / Math.max(1e-6, total.score)) : 1;
  const printed = new Map<number, { words: Word[]; page: number; times: number }>();
  for (const l of lines) for (const a of amountsOf(l)) {
    const seen = printed.get(cents(a.value));
    if (seen) seen.times++;
    else printed.set(cents(a.value), { words: a.words, page: l.page, times: 1 });
  }
  // A net total "ohne USt" names the tax too; its amount is the net, not the tax.
  const taxLines = lines.map((l, i) => ({ l: row(l, lines), i })).filter(({ l }) => TAX.test(l.text) && !NOT_TAX.test(l.text) && !WEAK.test(l.text) && !NET.test(l.text));
  const out: Split[] = [];
  const judge = (tax: number, taxWords: Word[], rates: number[], last: boolean, line: number): void => {
    const net = Math.round((T - tax) * 100) / 100;
    if (tax !== 0 && (Math.abs(tax) >= Math.abs(net) || Math.sign(tax) !== Math.sign(T))) return;
    const seen = printed.get(cents(net));
    // With no tax the net is the total, printed anyway: only a second printing of it says something.
    const netWords = seen && (tax !== 0 || seen.times > 1) ? seen.words : [];
    let score = 0.45 + (netWords.length > 0 ? 0.3 : 0) + (last ? 0.05 : 0);
    if (rates.some((r) => fits(net, tax, r))) score += 0.2;
    else if (tax !== 0 && RATES.some((r) => fits(net, tax, r))) score += 0.1;
    out.push({ tax, net, score, taxWords, netWords, netPage: seen?.page ?? 0, line });
  };
  const lastOf: RowAmount[] = [];
  for (const { l, i } of taxLines) {
    const amounts = amountsOf(l).filter((a) => a.value !== T);
    amounts.forEach((a, k) => judge(a.value, a.words, percents(l), k === amounts.length - 1, i));
    const last = amounts[amounts.length - 1];
    if (last) lastOf.push(last);
  }
  // One tax line a rate: their last amounts together are the document's tax.
  if (lastOf.length > 1) {
    const sum = Math.round(lastOf.reduce((s, a) => s + a.value, 0) * 100) / 100;
    if (!lastOf.some((a) => a.value === sum)) judge(sum, lastOf.flatMap((a) => a.words), [], true, taxLines[0]?.i ?? 0);
  }
  return out.filter((s) => s.score >= 0.75).map((s) => ({ ...s, score: s.score * sure }));
}

function candidate(value: number, words: Word[], score: number, order: number, page: number): Candidate {
  return { value, text: words.map((w) => w.text).join(' '), score, ocr: words.length > 0 ? meanConfidence(words) : 1, areas: words.length > 0 ? [{ page, box: unionBox(words.map((w) => w.box)) }] : [], order };
}

function pageOf(lines: TextLine[], i: number): number {
  return lines[i]?.page ?? 0;
}

/** The document's tax amount. */
export function taxCandidates(lines: TextLine[]): Candidate[] {
  const found = splits(lines);
  if (found.length > 0) return found.map((s) => candidate(s.tax, s.taxWords, Math.min(0.95, s.score), s.line, pageOf(lines, s.line)));
  return lines.flatMap((l, i): Candidate[] => {
    if (!TAX.test(l.text) || NOT_TAX.test(l.text)) return [];
    const last = amountsOf(row(l, lines)).at(-1);
    return last ? [candidate(last.value, last.words, 0.4, i, l.page)] : [];
  });
}

/** The document's amount before tax. */
export function subtotalCandidates(lines: TextLine[]): Candidate[] {
  const found = splits(lines);
  if (found.length > 0) return found.map((s) => candidate(s.net, s.netWords, Math.min(0.95, s.score), s.line, s.netPage));
  return lines.flatMap((l, i): Candidate[] => {
    if (!WEAK.test(l.text) && !NET.test(l.text)) return [];
    const last = amountsOf(row(l, lines)).at(-1);
    return last ? [candidate(last.value, last.words, 0.4, i, l.page)] : [];
  });
}
