/**
 * @module The issuer's anchors on a document (docs/vendor-memory.md#what-is-kept-and-what-is-not): values a
 * vendor prints on every document and OCR reads nearly the same each time. Tax and
 * registration numbers, IBANs (mod-97 checked) and phone numbers are kept as digits
 * and letters with OCR's usual look-alikes folded (O→0, I/L→1, S→5, B→8 in numbers;
 * the reverse in header words), so "GST NO: 0O1234567B" and "GST NO: 001234567B"
 * are one anchor. Webmail domains identify nobody and are dropped.
 */
import type { Anchor } from './model.ts';

/** A line of text as the pipeline reads it: only what anchors need. */
export interface AnchorLine {
  text: string;
  page: number;
  box: { x: number; y: number; w: number; h: number };
  pageWidth: number;
  pageHeight: number;
}

const TAX_LABEL = /\b(GST|VAT|TAX(?!\s*INV)|REG|ROC|SST|CO\.?\s*NO|COMPANY\s*NO|USt|UID|BTW|TVA|SIRE[NT]|KVK|ABN|TIN|Steuer\w*|N°\s*TVA)\b/i;
const EU_VAT = /\b(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK)U?\s?\d[\dA-Z ]{7,13}\b/g;
const COMPANY_REG = /\((\d{5,8})\s?[-\s]?\s?([A-Z])\)|\b(\d{5,8})-([A-Z])\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g;
const PHONE_LABEL = /\b(TEL|PHONE|FAX|PH|HP|TELEFON|TÉL|T)\b\.?\s*(NO)?\s*[.:]?\s*([+(]?[\dO][\dOIl ()+\-./]{6,22}[\dO])/i;
const EMAIL = /[A-Z0-9._%+-]+@([A-Z0-9-]+(?:\.[A-Z0-9-]+)+)/gi;
const WEB = /\b(?:https?:\/\/|www\.)([a-z0-9-]+(?:\.[a-z0-9-]+)+)/gi;
const WEBMAIL = new Set(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'gmx.de', 'web.de', 'orange.fr', 'free.fr', 'aol.com', 'yahoo.com.my']);

/** Digits with letter look-alikes folded to digits: for numbers OCR may read as letters. */
export function foldDigits(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/[OQD]/g, '0').replace(/[IL|]/g, '1').replace(/S/g, '5').replace(/B/g, '8').replace(/Z/g, '2');
}

/** Letters with digit look-alikes folded to letters: for words OCR may read with digits. */
export function foldLetters(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/0/g, 'O').replace(/[1|!]/g, 'I').replace(/L/g, 'I').replace(/5/g, 'S').replace(/8/g, 'B').replace(/2/g, 'Z').replace(/6/g, 'G');
}

function ibanValid(raw: string): boolean {
  const s = raw.replace(/\s/g, '');
  if (s.length < 15 || s.length > 34) return false;
  const moved = (s.slice(4) + s.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of moved) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

function taxIds(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(EU_VAT)) out.push(foldDigits(m[0]));
  for (const m of text.matchAll(COMPANY_REG)) out.push(`${m[1] ?? m[3]}${m[2] ?? m[4]}`);
  const label = TAX_LABEL.exec(text);
  if (label) {
    // The number right after the label ("GST ID: …", "CO. REG NO. …"); digit groups OCR split with a space ("00038 1399040") are one.
    const rest = text.slice(label.index + label[0].length).replace(/^[\s:.#(]*(?:(?:ID|1D|NO|REG|NR|NUMBER|NUM)\b[\s:.#)]*)*/i, '').replace(/([\dO])\s+(?=[\dO])/g, '$1');
    const tok = rest.split(/[\s;,()]+/)[0] ?? '';
    const f = foldDigits(tok);
    if (f.length >= 6 && (f.match(/\d/g) ?? []).length >= 5 && /\d/.test(tok)) out.push(f);
  }
  return out;
}

/** The layout fingerprint: where the first page's first lines sit (left, centre, right) and how wide they are, in tenths. */
function layout(lines: readonly AnchorLine[]): string | null {
  const first = lines.filter((l) => l.page === lines[0]?.page).slice(0, 8);
  if (first.length < 4) return null;
  return first.map((l) => {
    const c = (l.box.x + l.box.w / 2) / l.pageWidth;
    return `${c < 0.4 ? 'l' : c > 0.6 ? 'r' : 'c'}${Math.min(9, Math.floor((l.box.w / l.pageWidth) * 10))}`;
  }).join(' ');
}

/** Every anchor of a document's lines, each (kind, value) once. */
export function findAnchors(lines: readonly AnchorLine[]): Anchor[] {
  const seen = new Set<string>();
  const out: Anchor[] = [];
  const add = (kind: Anchor['kind'], value: string) => {
    if (value === '' || seen.has(`${kind}:${value}`)) return;
    seen.add(`${kind}:${value}`);
    out.push({ kind, value });
  };
  for (const line of lines) {
    for (const id of taxIds(line.text)) add('tax_id', id);
    for (const m of line.text.toUpperCase().matchAll(IBAN)) if (ibanValid(m[0])) add('iban', m[0].replace(/\s/g, ''));
    const phone = PHONE_LABEL.exec(line.text);
    if (phone) {
      const digits = foldDigits(phone[3] ?? '').replace(/\D/g, '');
      if (digits.length >= 7) add('phone', digits.slice(-9));
    }
    for (const m of line.text.matchAll(EMAIL)) {
      const d = (m[1] ?? '').toLowerCase();
      if (!WEBMAIL.has(d)) add('email_domain', d);
    }
    for (const m of line.text.matchAll(WEB)) add('web_domain', (m[1] ?? '').toLowerCase().replace(/^www\./, ''));
  }
  // Header: the first page's first four lines with four letters or more, folded.
  const page = lines[0]?.page;
  lines.filter((l) => l.page === page && (l.text.match(/\p{L}/gu) ?? []).length >= 4).slice(0, 4).forEach((l) => add('header', foldLetters(l.text)));
  const fp = layout(lines);
  if (fp) add('layout', fp);
  return out;
}
