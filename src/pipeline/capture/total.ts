/**
 * @module The `total` heuristic: the amount a document asks to be paid.
 *
 * 1. Keyword ranking. Every total-like label is ranked by its wording (OCR-tolerant:
 *    "Tota]", "T0TAL"): strong ("grand total", "nett total", "total rounded",
 *    "amount due", "totaal", "total TTC", …) 0.9, plain "total" 0.75, a sub-total or
 *    a total before tax ("net total": the Malaysian receipts' final "nett total" has two t's) 0.25; counts and other totals ("total qty", "total points",
 *    "total GST") are no total at all. The value is the rightmost amount with
 *    decimals on the label's row ("TOTAL RM 30.90"; in "Total facture 24.99 5.00
 *    29.99" the last column is the total).
 * 2. Consistency with the other amounts. A candidate equal to what was paid (cash,
 *    card) minus the change, or to the payment itself, or the largest amount of the
 *    document outside the payment lines, is surer: each raises the score toward 1.
 *    A total that contradicts paid minus change loses 40 %, and paid minus change
 *    joins the candidates (at most 0.5: no label names it): one of the two amounts
 *    was misread, so neither is sure.
 *    A total label with a garbled amount beside it ("Tota | RM 30. 9)") costs the
 *    others 30 %: the real total may be the one that could not be read.
 * 3. Without any label, the largest amount with decimals below the top fifth of
 *    the document (outside payment lines) is a weak candidate (0.3).
 */
import { unionBox, type Word } from '../../core/page.ts';
import type { Candidate } from './methods.ts';
import { findAmounts } from './normalize.ts';
import { meanConfidence, oncePerLines, spanWords, subLine, type TextLine } from './text.ts';

const T = String.raw`T[O0Q]T[A4](?:[L1I\]\)\|!]| \|)`;
const NOT_TOTAL = new RegExp(String.raw`${T}\s*[:.]?\s*(?:QTY|QUANTITY|ITEMS?|POINTS?|DISCOUNTS?|SAVINGS?|TAX|GST|VAT|SST|WEIGHT|PCS|UNITS?|COUNT|QTY\s*TENDER)\b|\bITEM\s*\(?S\)?\s*[:+]|\bGESAMTBETRAG\s+DER\s+(?:ZU|AB)SCHL|\b(?:TAX|GST|VAT|SST|MWST|UST|TVA|BTW)\s*[:.]?\s*${T}`, 'i');
export const WEAK = new RegExp(String.raw`SUB[\s\-.]*${T}|${T}\s*(?:EXCL|EXCLUDING|BEFORE|W\/O|HT\b|NET\b|NETTO)|\bAMT\.?,?\s*EXCL|\bSUBTOTAAL\b|\bZWISCHENSUMME\b|\bOHNE\s+(?:UST|MWST)|\b(?:NETTO|POSITIONS)SUMME\b|\bNETTOBETRAG\b|\bWARENWERT\b|\bNET\s*${T}|${T}\s*\d{1,2}(?:[.,]\d{1,2})?\s*%`, 'i');
const STRONG = new RegExp(
  String.raw`(?:GRAND|NETT|INVOICE|ROUNDED)\s*${T}|${T}\s*[:.]?\s*(?:ROUNDED|PAYABLE|DUE|AMOUNT|AMT|INCL|INCLUSIVE|WITH|TO\s+PAY|TTC|FOR\s+THIS|FACTURE)|(?:AMOUNT|BALANCE|AMT)\s*(?:DUE|PAYABLE)|\bDUE\s+PAYABLE\b|\bJUMLAH\b|\bTOTAAL\b|\bGESAMTBETRAG\b|\bGESAMTSUMME\b|\bBRUTTO(?:SUMME|BETRAG)\b|\b(?:RECHNUNGS|END)BETRAG\b|\bRECHNUNGSSUMME\b|\bNET\s+[AÀ]\s+PAYER\b|\bTE\s+BETALEN\b|\bMONTANT\s+TTC\b|\bIMPORTE\s+TOTAL\b`,
  'i',
);
// German "Summe" and "Zahlbetrag" (what is to be paid, after payments made): a total, not the strongest wording.
const PLAIN = new RegExp(String.raw`(?:^|[^A-Z])${T}(?![A-Z])|\b(?:NETT?|GROSS)\s*(?:AMT|AMOUNT)\b|\bSUMME\b|\bZAHLBETRAG\b|\bZU\s+ZAHLEN\b`, 'i');
const PAYMENT = /\b(?:CASH|VISA|MASTER(?:CARD)?|CARD|CREDIT|DEBIT|PAID|PAYMENT|RECEIVED|TENDER(?:ED)?|AMEX|E-?WALLET|BOOST|GRAB\s*PAY|JOMPAY)\b/i;
const ROUNDING = /\bROUND/i;
const CHANGE = /\b(?:CHANGE|BALANCE)\b/i;

/**
 * "85. 54" and "9, 90" are amounts OCR split after the separator, "758 .70" before it; "RM2O. 40" also read a 0 as O
 * (normalize.ts reads it as a digit once the amount is whole again). Lengths change: amountsAfter shifts offsets back.
 */
function mendAmounts(text: string): string {
  return text.replace(/(\d[\dOo]*)([.,]) (\d{2})(?!\d)/g, '$1$2$3').replace(/(\d) ([.,])(\d{2})(?![\d.,])/g, '$1$2$3');
}

export interface RowAmount {
  value: number;
  decimals: boolean;
  words: Word[];
}

/** Amounts of a line right of character `from`, with their words. */
export function amountsAfter(line: TextLine, from: number): RowAmount[] {
  const text = mendAmounts(line.text);
  const shift = line.text.length - text.length;
  return findAmounts(text)
    .filter((a) => a.index >= from - shift && Math.abs(a.value.value) < 1e9)
    // A dash standing apart between label and amount ("Final Total - 753.70") separates them; a minus sign is written against the digits ("-8,79").
    .map((a) => ({ value: /^[-–]\s/.test(a.text) && /(?:^|\s)$/.test(text.slice(0, a.index)) ? Math.abs(a.value.value) : a.value.value, decimals: a.value.decimals, words: spanWords(line, a.index, a.index + a.text.length + shift) }));
}

/** The row of a line: its words plus the words of other lines on the same band to its right. */
export function row(line: TextLine, lines: TextLine[]): TextLine {
  const mid = line.box.y + line.box.h / 2;
  const h = Math.max(4, line.box.h);
  const right = line.box.x + line.box.w;
  const band = lines.filter((l) => l !== line && l.page === line.page && Math.abs(l.box.y + l.box.h / 2 - mid) < h * 0.6 && l.box.x >= right - 1).flatMap((l) => l.words);
  return band.length === 0 ? line : subLine(line, [...line.words, ...band].sort((a, b) => a.box.x - b.box.x));
}

interface Rank {
  rank: number;
  end: number;
}

function rank(text: string): Rank | null {
  if (NOT_TOTAL.test(text)) {
    const rest = text.replace(NOT_TOTAL, ' ');
    return PLAIN.test(rest) || STRONG.test(rest) ? rank(rest) : null;
  }
  for (const [re, r] of [[WEAK, 0.25], [STRONG, 0.9], [PLAIN, 0.75]] as const) {
    const m = re.exec(text);
    if (m) return { rank: r, end: m.index + m[0].length };
  }
  return null;
}

function payments(lines: TextLine[]): { paid: number[]; change: number[] } {
  const paid: number[] = [];
  const change: number[] = [];
  for (const l of lines) {
    const amounts = amountsAfter(l, 0).filter((a) => a.decimals);
    const last = amounts[amounts.length - 1];
    if (!last || rank(l.text)) continue;
    // Some tills print the tendered amount as a debit ("Payment -20.00"): what was paid is its size.
    if (CHANGE.test(l.text)) change.push(Math.abs(last.value));
    else if (PAYMENT.test(l.text)) paid.push(Math.abs(last.value));
  }
  return { paid, change };
}

/** The totals of a document's lines, found once: the `total` field, the tax split (tax.ts) and the amount due (amount-due.ts) start from them. */
export const totalCandidates = oncePerLines(findTotals);

function findTotals(lines: TextLine[]): Candidate[] {
  const { paid, change } = payments(lines);
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 0.005;
  const others = lines.filter((l) => !PAYMENT.test(l.text) && !CHANGE.test(l.text)).flatMap((l) => amountsAfter(l, 0).filter((a) => a.decimals).map((a) => a.value));
  const largest = Math.max(0, ...others);
  const consistent = (v: number): number => {
    let miss = 1;
    if (paid.some((p) => change.some((c) => near(p - c, v)))) miss *= 0.5;
    else if (paid.some((p) => near(p, v))) miss *= 0.7;
    if (near(v, largest)) miss *= 0.8;
    return miss;
  };
  // Paid minus change that matches no labelled total means one of them was misread (SROIE 004: "TOTAL 30.96", cash 51.00 − change 20.10 = 30.90).
  const dues = paid.flatMap((p) => change.map((c) => Math.round((p - c) * 100) / 100)).filter((v) => v > 0);
  const contradicted = (v: number): boolean => dues.length > 0 && !dues.some((d) => near(d, v)) && !paid.some((p) => near(p, v));
  const out: Candidate[] = [];
  let unreadable = false;
  lines.forEach((line, i) => {
    const r = rank(line.text);
    if (!r) return;
    // The total printed after a rounding line is the rounded amount to pay (SROIE 590: 28.31 then rounded 28.30).
    if (r.rank >= 0.75 && lines.slice(Math.max(0, i - 2), i).some((l) => ROUNDING.test(l.text))) r.rank = 0.95;
    const full = row(line, lines);
    // Credit notes and corrective invoices total below zero ("Endbetrag -8,79"); zero is no total.
    let amounts = amountsAfter(full, r.end).filter((a) => a.value !== 0);
    // A column heading ("Endbetrag" over its figure): with no amount on its row, the first amount below it in its column.
    let below = 1;
    if (amounts.length === 0 && !/\d/.test(full.text.slice(r.end))) {
      amounts = underLabel(line, lines);
      below = BELOW;
    }
    const withDecimals = amounts.filter((a) => a.decimals);
    // An integer counts only as a clean word of its own ("Rs 1939"), not a piece of OCR noise ("1#.22").
    const clean = amounts.filter((a) => a.words.length > 0 && a.words.every((w) => /^[^\d]{0,3}\d+[^\d]?$/.test(w.text) || /^(?:\p{L}{1,3}\.?|[$€£¥₹])$/u.test(w.text)));
    const pick = withDecimals[withDecimals.length - 1] ?? clean[clean.length - 1];
    if (!pick) {
      if (r.rank >= 0.75 && /\d/.test(full.text.slice(r.end))) unreadable = true;
      return;
    }
    const base = r.rank * (pick.decimals ? 1 : 0.6) * below * (pick.value < 0 ? NEGATIVE : 1);
    const score = (1 - (1 - base) * consistent(pick.value) ** (r.rank < 0.5 ? 0.3 : 1)) * (contradicted(pick.value) ? 0.6 : 1);
    out.push({ value: pick.value, text: pick.words.map((w) => w.text).join(' '), score, ocr: meanConfidence(pick.words), areas: [{ page: line.page, box: unionBox(pick.words.map((w) => w.box)) }], order: i });
  });
  if (out.length === 0) return unlabelled(lines, { paid, change }, largest, consistent);
  // A total label whose amount OCR garbled ("Tota | RM 30. 9)") may be the real total: every other reading loses 30 %.
  if (unreadable) for (const c of out) c.score *= 0.7;
  // A contradicted total competes with what was paid minus the change, so that its confidence drops (extract.ts: a close second halves it).
  if (out.some((c) => contradicted(Number(c.value)))) out.push(...unlabelled(lines, { paid, change: change.filter((c) => c !== 0) }, 0, consistent).filter((c) => dues.some((d) => near(d, Number(c.value)))).map((c) => ({ ...c, score: Math.min(0.5, c.score) })));
  return out;
}

/** A total read under its column heading scores ×0.85, as a label's value below it does (methods.ts). */
const BELOW = 0.85;
/** A negative total ×0.8: a credit note's, or a discount line's amount under a total-like word. */
const NEGATIVE = 0.8;

/**
 * The amounts under `label` in its column: the lines overlapping it horizontally, the first within six line heights
 * below it, each next within three of the one before (at most six). The last of them is taken: a column of a
 * tax breakdown ends in its sum ("Endbetrag": -5,77 and -3,02 per rate, then -8,79).
 */
function underLabel(label: TextLine, lines: TextLine[]): RowAmount[] {
  const h = Math.max(4, label.box.h);
  const left = label.box.x - 2 * h;
  const right = label.box.x + label.box.w + 2 * h;
  const column = lines
    .filter((l) => l.page === label.page && l.box.y > label.box.y + h * 0.5 && l.box.x < right && l.box.x + l.box.w > left)
    .sort((a, b) => a.box.y - b.box.y);
  let found: RowAmount[] = [];
  let y = label.box.y;
  for (const [k, l] of column.entries()) {
    if (k >= 6 || l.box.y - y > h * (k === 0 ? 6 : 3)) break;
    const amounts = amountsAfter(l, 0).filter((a) => a.value !== 0 && a.words.some((w) => w.box.x < right && w.box.x + w.box.w > left));
    if (amounts.length === 0) break;
    found = amounts;
    y = l.box.y;
  }
  return found;
}

/**
 * Without a total label: what was paid minus the change (0.5, even when the total
 * itself is unreadable), the payment when no change is printed (0.45), the largest
 * amount outside payment lines (0.3); each raised by its consistency with the rest.
 */
function unlabelled(lines: TextLine[], pay: { paid: number[]; change: number[] }, largest: number, consistent: (v: number) => number): Candidate[] {
  const wanted = new Map<number, number>();
  const add = (v: number, base: number): void => {
    const r = Math.round(v * 100) / 100;
    if (r > 0) wanted.set(r, Math.max(wanted.get(r) ?? 0, base));
  };
  for (const p of pay.paid) for (const c of pay.change) add(p - c, 0.5);
  if (pay.change.every((c) => c === 0)) for (const p of pay.paid) add(p, 0.45);
  add(largest, 0.3);
  const out: Candidate[] = [];
  for (const [v, base] of wanted) {
    const line = lines.find((l) => amountsAfter(l, 0).some((a) => a.decimals && Math.abs(a.value - v) < 0.005));
    const pick = line ? amountsAfter(line, 0).find((a) => Math.abs(a.value - v) < 0.005) : undefined;
    const words = pick?.words ?? [];
    out.push({
      value: v,
      text: words.length > 0 ? words.map((w) => w.text).join(' ') : v.toFixed(2),
      score: 1 - (1 - base) * consistent(v),
      ocr: words.length > 0 ? meanConfidence(words) : 0.5,
      areas: line && words.length > 0 ? [{ page: line.page, box: unionBox(words.map((w) => w.box)) }] : [],
      order: line ? lines.indexOf(line) : lines.length,
    });
  }
  return out;
}
