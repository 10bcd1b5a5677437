/**
 * @module Check-digit algorithms for field rules: Luhn (ISO/IEC 7812-1 annex B:
 * card numbers, many customer numbers), IBAN (ISO 13616: move the first four
 * characters to the end, letters to 10..35, the number mod 97 must be 1) and
 * mod-11 (weights 2, 3, 4, … from the right, as in ISBN-10, Dutch bank account
 * and many national id numbers; check digit 11 − sum mod 11, 10 written X).
 */

export function luhn(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function iban(text: string): boolean {
  const s = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
  }
  return rest === 1;
}

export function mod11(text: string): boolean {
  const s = text.replace(/[\s-]/g, '').toUpperCase();
  if (!/^\d+[\dX]$/.test(s) || s.length < 2) return false;
  const body = s.slice(0, -1);
  const check = s.slice(-1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i + 2);
  const expected = (11 - (sum % 11)) % 11;
  return check === 'X' ? expected === 10 : expected === Number(check);
}

export const CHECKSUMS = { luhn, iban, mod11 } as const;
