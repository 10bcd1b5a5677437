/**
 * @module A captured invoice (its fields after validation) → `EInvoice`, for the `cii`,
 * `ubl` and `facturx` exports, with every mandatory EN 16931 term that is missing or
 * inconsistent reported instead of guessed. Field names per term are in terms.ts.
 * What is derived, and why it is safe:
 * - one of BT-109 / BT-110 / BT-112 from the other two (BR-CO-15: 112 = 109 + 110);
 * - BT-115 = BT-112 − BT-113 (BR-CO-16), BT-113 = 0 when absent;
 * - a country code (BT-40, BT-55) from the party's VAT identifier, whose first two
 *   letters are its ISO 3166 country (Greece writes EL, Northern Ireland XI);
 * - the invoice lines (BG-25) from the line table when its amounts add up to BT-109 to
 *   the cent (BR-CO-10, BR-CO-13), else one line carrying BT-109, so the lines never
 *   contradict the totals a person validated;
 * - the VAT breakdown (BG-23) from the lines' rates or the one rate of the totals
 *   (vat-breakdown.ts); mixed rates without the lines' rates are reported.
 * Amounts are written with 2 decimals, computed in integer cents.
 */
import type { FieldValue, TableRow } from '../capture.ts';
import type { EInvoice, EInvoiceLine, EInvoiceParty } from './model.ts';
import { termLabel } from './business-terms.ts';
import { arithmeticFindings } from './en16931-checks.ts';
import { LINE_COLUMNS, TERM_FIELDS } from './terms.ts';
import { vatLines, type DraftLine } from './vat-breakdown.ts';

/** Where an export takes each term from beyond the default names: a field name, or a fixed value. */
export interface TermSources {
  fields: Record<string, string>;
  values: Record<string, string>;
}

export interface TermProblem {
  term: string;
  /** The field a person would correct, when the document type has one for this term. */
  field: string | null;
  message: string;
}

export type FromFields = { ok: true; invoice: EInvoice } | { ok: false; problems: TermProblem[] };

type Fields = Record<string, FieldValue>;

function scalar(v: FieldValue | undefined): string | null {
  if (v === null || v === undefined || Array.isArray(v) || typeof v === 'boolean') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function cents(v: string | null): number | null {
  if (v === null) return null;
  const s = v.replace(/\s/g, '');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s) ? Math.round(Number(s) * 100) : null;
}

const money = (c: number): string => (c / 100).toFixed(2);

class Reader {
  readonly problems: TermProblem[] = [];
  private readonly fields: Fields;
  private readonly sources: TermSources;
  constructor(fields: Fields, sources: TermSources) {
    this.fields = fields;
    this.sources = sources;
  }

  /** The field that carries `term` in this document, present or not: the first declared name found. */
  fieldOf(term: string): string | null {
    const named = this.sources.fields[term];
    if (named !== undefined) return named;
    return (TERM_FIELDS[term] ?? []).find((n) => Object.hasOwn(this.fields, n)) ?? null;
  }

  raw(term: string): FieldValue | undefined {
    const f = this.fieldOf(term);
    return f === null ? undefined : this.fields[f];
  }

  text(term: string): string | null {
    return scalar(this.raw(term)) ?? scalar(this.sources.values[term]);
  }

  amount(term: string): number | null {
    const v = this.text(term);
    const c = cents(v);
    if (v !== null && c === null) this.problem(term, `${termLabel(term)} is not an amount: ${v}`);
    return c;
  }

  code(term: string, pattern: RegExp, what: string): string | null {
    const v = this.text(term);
    if (v === null) return null;
    const up = v.toUpperCase();
    if (pattern.test(up)) return up;
    this.problem(term, `${termLabel(term)} must be ${what}, not ${v}`);
    return null;
  }

  problem(term: string, message: string): void {
    if (!this.problems.some((p) => p.term === term)) this.problems.push({ term, field: this.fieldOf(term), message });
  }

  require<T>(term: string, value: T | null): T | null {
    if (value === null) this.problem(term, `e-invoice needs ${termLabel(term)}`);
    return value;
  }
}

const COUNTRY_OF_VAT: Record<string, string> = { EL: 'GR', XI: 'GB' };

function countryOf(vatId: string | null): string | null {
  const m = vatId === null ? null : /^([A-Z]{2})[A-Z0-9]/.exec(vatId.replace(/[\s.-]/g, '').toUpperCase());
  return m ? (COUNTRY_OF_VAT[m[1] as string] ?? (m[1] as string)) : null;
}

function party(r: Reader, t: { name: string; reg: string; vat: string; email: string; street: string; city: string; post: string; country: string }): EInvoiceParty {
  const vat_id = r.text(t.vat);
  return {
    name: r.require(t.name, r.text(t.name)),
    vat_id,
    registration_id: r.text(t.reg),
    address: {
      line1: r.text(t.street), line2: null, city: r.text(t.city), postcode: r.text(t.post),
      country: r.require(t.country, r.code(t.country, /^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code') ?? countryOf(vat_id)),
    },
    email: r.text(t.email),
  };
}

function column(row: TableRow, term: string): string | null {
  const name = (LINE_COLUMNS[term] ?? []).find((c) => Object.hasOwn(row, c) && scalar(row[c] ?? null) !== null);
  return name === undefined ? null : scalar(row[name] ?? null);
}

/** A decimal text as written ("3.3333", "20"), null when it is not one. */
function decimalText(v: string | null): string | null {
  return v !== null && cents(v) !== null ? v.replace(/\s/g, '') : null;
}

/** BT-146 when the row gives none: the line amount per unit, to 4 decimals (BT-146 may carry more than 2). */
function priceOf(amount: number, qty: string): string {
  const q = Number(qty);
  return q === 0 ? money(amount) : String(Number((amount / 100 / q).toFixed(4)));
}

/**
 * The table's rows as lines, or null when a row lacks a name or an amount, or they do
 * not add up to `net`. Quantities and unit prices keep their digits (BT-129 and BT-146
 * may have more than 2 decimals); line amounts are cents, as BT-131 is.
 */
function tableLines(rows: FieldValue | undefined, net: number): DraftLine[] | null {
  if (!Array.isArray(rows) || rows.length === 0) return null;
  const lines = rows.map((row, i) => {
    const qty = decimalText(column(row, 'BT-129')) ?? '1';
    const price = decimalText(column(row, 'BT-146'));
    const amount = cents(column(row, 'BT-131')) ?? (price === null ? null : Math.round(Number(price) * Number(qty) * 100));
    return { id: column(row, 'BT-126') ?? String(i + 1), description: column(row, 'BT-153'), quantity: qty, unit: column(row, 'BT-130') ?? 'C62', unit_price: price, amount, vat_rate: decimalText(column(row, 'BT-152')) };
  });
  if (lines.some((l) => l.description === null || l.amount === null)) return null;
  if (lines.reduce((s, l) => s + (l.amount as number), 0) !== net) return null;
  return lines.map(({ amount, ...l }) => ({ ...l, unit_price: l.unit_price ?? priceOf(amount as number, l.quantity), net_amount: money(amount as number) }));
}

/** The e-invoice for one captured document, or every problem that stops it. */
export function einvoiceFromFields(fields: Fields, sources: TermSources = { fields: {}, values: {} }): FromFields {
  const r = new Reader(fields, sources);
  const number = r.require('BT-1', r.text('BT-1'));
  const issue = r.require('BT-2', r.code('BT-2', /^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)'));
  const due = r.code('BT-9', /^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)');
  const type = r.code('BT-3', /^\d{3}$/, 'a UNTDID 1001 code such as 380') ?? '380';
  const currency = r.require('BT-5', r.code('BT-5', /^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'));
  const seller = party(r, { name: 'BT-27', reg: 'BT-30', vat: 'BT-31', email: 'BT-34', street: 'BT-35', city: 'BT-37', post: 'BT-38', country: 'BT-40' });
  const buyer = party(r, { name: 'BT-44', reg: 'BT-47', vat: 'BT-48', email: 'BT-49', street: 'BT-50', city: 'BT-52', post: 'BT-53', country: 'BT-55' });
  let net = r.amount('BT-109');
  let tax = r.amount('BT-110');
  let total = r.amount('BT-112');
  if (net === null && tax !== null && total !== null) net = total - tax;
  if (tax === null && net !== null && total !== null) tax = total - net;
  if (total === null && net !== null && tax !== null) total = net + tax;
  r.require('BT-109', net);
  r.require('BT-110', tax);
  r.require('BT-112', total);
  if (net !== null && tax !== null && total !== null && net + tax !== total) {
    r.problem('BT-112', `${termLabel('BT-112')} ${money(total)} is not ${termLabel('BT-109')} ${money(net)} + ${termLabel('BT-110')} ${money(tax)}`);
  }
  const dueAmount = r.amount('BT-115');
  const prepaid = r.amount('BT-113') ?? (dueAmount !== null && total !== null ? total - dueAmount : 0);
  if (r.problems.length > 0 || net === null || tax === null || total === null) return { ok: false, problems: r.problems };

  const category = r.code('BT-118', /^(S|Z|E|AE|K|G|O|L|M)$/, 'a UNCL 5305 VAT category');
  const summary: DraftLine = { id: '1', description: `Invoice ${number}`, quantity: '1', unit: 'C62', unit_price: money(net), net_amount: money(net), vat_rate: null };
  const vat = vatLines(tableLines(r.raw('BG-25'), net), summary, net, tax, category, r.text('BT-119'));
  if (vat === null) {
    r.problem('BT-119', `${termLabel('BT-110')} ${money(tax)} is not one VAT rate of ${termLabel('BT-109')} ${money(net)}: give the rate (BT-119), or the lines' rates, when the invoice mixes rates`);
    return { ok: false, problems: r.problems };
  }
  const iban = r.text('BT-84');
  const invoice: EInvoice = {
    syntax: 'cii',
    profile: r.text('BT-24'),
    number, type_code: type, issue_date: issue, due_date: due, currency,
    buyer_reference: r.text('BT-10'),
    order_reference: r.text('BT-13'),
    seller, buyer,
    iban,
    // 58 = SEPA credit transfer (UNCL 4461): an IBAN on an invoice is where to transfer to; BT-81 is mandatory with it.
    payment_means: r.text('BT-81') ?? (iban === null ? null : '58'),
    payment_terms: r.text('BT-20'),
    lines: vat.lines,
    vat_breakdown: vat.breakdown,
    totals: {
      line_total: money(net), allowances: null, charges: null, tax_exclusive: money(net), tax: money(tax),
      tax_inclusive: money(total), prepaid: prepaid === 0 ? null : money(prepaid), due: money(dueAmount ?? total - prepaid),
    },
    terms: {},
  };
  // The shared EN 16931 arithmetic checks (en16931-checks.ts), as a receiver would run them: what was derived above must pass.
  const findings = arithmeticFindings(invoice);
  if (findings.length > 0) return { ok: false, problems: findings.map((f) => ({ term: f.terms[0] as string, field: r.fieldOf(f.terms[0] as string), message: f.message })) };
  return { ok: true, invoice };
}
