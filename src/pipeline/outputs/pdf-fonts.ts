/**
 * @module Which fonts paint visible text in a PDF without their font program embedded:
 * the PDF/A requirement (ISO 19005-3 § 6.2.11.4.1: every font used for rendering is
 * embedded; text in rendering mode 3, invisible, is exempt) that a `facturx` export can
 * only inherit from its source pages, and the one that can be checked in-process.
 * A page's content streams are tokenized (strings, hex strings, comments and inline
 * images skipped) and followed through form XObjects (`Do`), keeping the text rendering
 * mode (`Tr`) across `q`/`Q`; a show operator (`Tj`, `TJ`, `'`, `"`) with a visible mode
 * and a font whose descriptor has no `FontFile`, `FontFile2` or `FontFile3` (Type 3
 * fonts are their own programs) names that font. A content stream that cannot be
 * decoded counts each unembedded font of its resources, so a doubt is never a pass.
 * Not followed: annotation appearance streams and patterns (rare on invoices).
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
const SHOW = new Set(['Tj', 'TJ', "'", '"']);

/** Operators with their operands that matter here: names and numbers; strings and arrays become placeholders. */
function* operations(s: Uint8Array): Generator<{ op: string; args: string[] }> {
  let args: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (WHITE.has(c)) i++;
    else if (c === 0x25) while (i < s.length && s[i] !== 0x0a && s[i] !== 0x0d) i++;
    else if (c === 0x28) {
      // A literal string: balanced parentheses, backslash escapes.
      let depth = 0;
      for (; i < s.length; i++) {
        if (s[i] === 0x5c) i++;
        else if (s[i] === 0x28) depth++;
        else if (s[i] === 0x29 && --depth === 0) break;
      }
      i++;
      args.push('()');
    } else if (c === 0x3c && s[i + 1] !== 0x3c) {
      while (i < s.length && s[i] !== 0x3e) i++;
      i++;
      args.push('<>');
    } else if (DELIM.has(c) && c !== 0x2f) {
      i += c === 0x3c || c === 0x3e ? 2 : 1;
    } else {
      const start = i;
      i++;
      while (i < s.length && !WHITE.has(s[i]!) && !DELIM.has(s[i]!)) i++;
      const tok = Buffer.from(s.subarray(start, i)).toString('latin1');
      if (tok.startsWith('/') || /^[-+.\d]/.test(tok)) args.push(tok);
      else {
        yield { op: tok, args };
        args = [];
        // An inline image's data runs from `ID` to `EI` standing alone.
        if (tok === 'ID') {
          while (i < s.length && !(WHITE.has(s[i - 1]!) && s[i] === 0x45 && s[i + 1] === 0x49 && (i + 2 >= s.length || WHITE.has(s[i + 2]!)))) i++;
          i += 2;
        }
      }
    }
  }
}

function lookupDict(ctx: PDFContext, v: PDFObject | undefined): PDFDict | undefined {
  const o = v instanceof PDFRef ? ctx.lookup(v) : v;
  return o instanceof PDFDict ? o : o instanceof PDFStream ? o.dict : undefined;
}

function embedded(ctx: PDFContext, font: PDFDict): boolean {
  if (font.get(PDFName.of('Subtype')) === PDFName.of('Type3')) return true;
  const descendants = ctx.lookup(font.get(PDFName.of('DescendantFonts')));
  const target = descendants instanceof PDFArray ? lookupDict(ctx, descendants.get(0)) ?? font : font;
  const fd = lookupDict(ctx, target.get(PDFName.of('FontDescriptor')));
  return fd !== undefined && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => fd.has(PDFName.of(k)));
}

function fontName(ctx: PDFContext, font: PDFDict, key: string): string {
  const base = ctx.lookup(font.get(PDFName.of('BaseFont')));
  return base instanceof PDFName ? base.decodeText() : key;
}

function streamBytes(stream: PDFObject | undefined): Uint8Array | null {
  if (!(stream instanceof PDFRawStream)) return stream instanceof PDFStream ? stream.getContents() : null;
  try {
    return decodePDFRawStream(stream).decode();
  } catch {
    return null;
  }
}

interface Walk {
  ctx: PDFContext;
  found: Set<string>;
  /** Form XObjects walked, with the rendering modes they were walked in (one drawn invisibly, then visibly, counts). */
  seen: Map<PDFObject, Set<number>>;
}

/** Follows one content stream (its resources given), starting in rendering mode `mode`. */
function walk(w: Walk, contents: Uint8Array | null, resources: PDFDict | undefined, mode: number): void {
  const fonts = lookupDict(w.ctx, resources?.get(PDFName.of('Font')));
  const xobjects = lookupDict(w.ctx, resources?.get(PDFName.of('XObject')));
  const fontOf = (key: string): PDFDict | undefined => lookupDict(w.ctx, fonts?.get(PDFName.of(key)));
  if (contents === null) {
    for (const [key] of fonts?.entries() ?? []) {
      const f = fontOf(key.decodeText());
      if (f && !embedded(w.ctx, f)) w.found.add(fontName(w.ctx, f, key.decodeText()));
    }
    return;
  }
  const stack: number[] = [];
  let font = '';
  for (const { op, args } of operations(contents)) {
    if (op === 'Tf') font = (args[0] ?? '').slice(1);
    else if (op === 'Tr') mode = Number(args[0] ?? 0);
    else if (op === 'q') stack.push(mode);
    else if (op === 'Q') mode = stack.pop() ?? mode;
    else if (SHOW.has(op)) {
      const f = fontOf(font);
      if (mode !== 3 && f && !embedded(w.ctx, f)) w.found.add(fontName(w.ctx, f, font));
    } else if (op === 'Do') {
      const ref = xobjects?.get(PDFName.of((args[0] ?? '').slice(1)));
      const xo = ref instanceof PDFRef ? w.ctx.lookup(ref) : ref;
      if (!(xo instanceof PDFStream) || xo.dict.get(PDFName.of('Subtype')) !== PDFName.of('Form')) continue;
      const modes = w.seen.get(xo) ?? new Set<number>();
      if (modes.has(mode)) continue;
      w.seen.set(xo, modes.add(mode));
      walk(w, streamBytes(xo), lookupDict(w.ctx, xo.dict.get(PDFName.of('Resources'))) ?? resources, mode);
    }
  }
}

/** The fonts (their BaseFont names) that paint visible text on `pages` and are not embedded. */
export function unembeddedTextFonts(ctx: PDFContext, pages: { node: { Resources(): PDFDict | undefined; Contents(): PDFStream | PDFArray | undefined } }[]): string[] {
  const w: Walk = { ctx, found: new Set(), seen: new Map() };
  for (const page of pages) {
    const contents = page.node.Contents();
    const parts = contents instanceof PDFArray ? contents.asArray().map((r) => ctx.lookup(r)) : contents ? [contents] : [];
    const decoded = parts.map(streamBytes);
    const bytes = decoded.some((d) => d === null) ? null : Buffer.concat(decoded.flatMap((d) => [Buffer.from(d!), Buffer.from('\n')]));
    walk(w, bytes, page.node.Resources(), 0);
  }
  return [...w.found].sort();
}
