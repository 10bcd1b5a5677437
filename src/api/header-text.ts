/**
 * @module Header values as text. Node's HTTP parser hands each header byte over as one
 * latin1 character (RFC 9110 §5.5 calls non-ASCII field bytes opaque), so a client that
 * sends raw UTF-8 — `X-Aluma-Tags: city=日本✓` — arrives as `æ\u0097¥æ\u009c¬â\u009c\u0093`.
 * When the bytes form valid UTF-8 they are read as UTF-8; otherwise the latin1 reading
 * stands, which is what a latin1 client meant. Percent-encoded values are unaffected.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function headerText(value: string | undefined): string | undefined {
  // Below U+0080 latin1 and UTF-8 agree; above U+00FF the value did not come from the wire.
  if (value === undefined || !/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}
