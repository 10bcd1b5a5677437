/**
 * @module The `amount_due` heuristic: what is left to pay (EN 16931 BT-115), read from
 * the page when no e-invoice XML gives it.
 *
 * BT-115 is the invoice total (BT-112) less what was paid in advance (BT-113), plus any
 * rounding (BT-114). Most invoices print no separate due amount: then it is the total.
 * Three kinds of evidence, pooled by value (extract.ts), so that a printed due amount
 * that equals the total minus what was prepaid is surer than either:
 * - an amount after (or under) a due label ("Zahlbetrag", "noch zu zahlen", "amount
 *   due", "balance due", "net à payer", "reste à payer", "te betalen"): 0.85;
 * - the best total less the prepaid amounts printed ("Anzahlung", "bereits bezahlt",
 *   "prepaid", "acompte"): the total's score × 0.8;
 * - the best total itself: its score × 0.75 when nothing prepaid is printed, × 0.3 when
 *   something is.
 * On the e-invoices' dev half 25 of 36 due amounts equal the total (docs/eval.md "Buyer
 * and amount due").
 */
import { unionBox } from '../../core/page.ts';
import type { Candidate } from './methods.ts';
import { meanConfidence, type TextLine } from './text.ts';
import { amountsAfter, row, totalCandidates, type RowAmount } from './total.ts';

const DUE = /\b(?:(?:amount|balance|total)\s+(?:due|payable|outstanding)|zahlbetrag|(?:noch\s+)?zu\s+zahlen(?:de[rn]?\s+\p{L}+)?|offener\s+betrag|restbetrag|f[äa]lliger\s+betrag|(?:net|solde|montant|reste)\s+[àa]\s+payer|solde\s+d[ûu]|montant\s+d[ûu]|te\s+betalen|openstaand\s+bedrag)\b/iu;
const PREPAID = /\b(?:anzahlung|vorauszahlung|abschlagszahlung|bereits\s+(?:bezahlt|gezahlt|erhalten|geleistet)|geleistete\s+zahlung|prepaid|prepayment|already\s+paid|paid\s+in\s+advance|advance\s+payment|deposit|acompte|d[ée]j[àa]\s+pay[ée]|vooruitbetaald|aanbetaling)\b/i;

const LABELLED = 0.85;
const NET_OF_PREPAID = 0.8;
const AS_TOTAL = 0.75;
const AS_TOTAL_WITH_PREPAID = 0.3;

function fromAmount(a: RowAmount, value: number, score: number, line: TextLine, order: number): Candidate {
  return { value, text: a.words.map((w) => w.text).join(' '), score, ocr: meanConfidence(a.words), areas: a.words.length > 0 ? [{ page: line.page, box: unionBox(a.words.map((w) => w.box)) }] : [], order };
}

/** The last amount with decimals on `line`'s row after the match of `label`, or null. */
function labelledAmount(line: TextLine, lines: TextLine[], label: RegExp): RowAmount | null {
  const m = label.exec(line.text);
  if (!m) return null;
  const amounts = amountsAfter(row(line, lines), m.index + m[0].length).filter((a) => a.decimals);
  return amounts.at(-1) ?? null;
}

export function amountDueCandidates(lines: TextLine[]): Candidate[] {
  const out: Candidate[] = [];
  const prepaid: number[] = [];
  lines.forEach((line, i) => {
    const due = labelledAmount(line, lines, DUE);
    if (due) out.push(fromAmount(due, due.value, LABELLED, line, i));
    const paid = due ? null : labelledAmount(line, lines, PREPAID);
    if (paid && paid.value !== 0) prepaid.push(Math.abs(paid.value));
  });
  const total = totalCandidates(lines).reduce<Candidate | null>((best, c) => (best === null || c.score > best.score ? c : best), null);
  if (total && typeof total.value === 'number') {
    const asTotal = { ...total, score: total.score * (prepaid.length > 0 ? AS_TOTAL_WITH_PREPAID : AS_TOTAL) };
    out.push(asTotal);
    if (prepaid.length > 0) {
      const rest = Math.round((total.value - prepaid.reduce((s, p) => s + p, 0)) * 100) / 100;
      out.push({ ...total, value: rest, text: rest.toFixed(2), score: total.score * NET_OF_PREPAID });
    }
  }
  return out;
}
