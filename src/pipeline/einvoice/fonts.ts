/**
 * @module The fonts the rendering of a bare e-invoice XML draws with, embedded so its
 * `facturx` export can be PDF/A-3 (ISO 19005-3 6.2.11.4: every font used for text is
 * embedded). DejaVu Sans and DejaVu Sans Bold, from the npm package `dejavu-fonts-ttf`
 * (Bitstream Vera licence, DejaVu changes public domain: free to embed and subset),
 * read from node_modules, never fetched at run time. They cover Latin, Greek and
 * Cyrillic with the euro sign — the characters of European invoices (é, ß, ø, Ł, ő,
 * č, €) that pdf-lib's standard Helvetica (WinAnsi) partly lacks.
 * Embedded through `@pdf-lib/fontkit` as subsets (only the glyphs drawn: the test
 * invoice's whole PDF is 24 kB, the regular face alone 757 kB), with ligatures
 * off so `fi` stays two glyphs and the page text read back compares letter for letter.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** Whether a code point has a glyph in every face of the rendering. */
export type GlyphCover = (codePoint: number) => boolean;

interface Faces {
  regular: Uint8Array;
  bold: Uint8Array;
  covers: GlyphCover;
}

const require = createRequire(import.meta.url);
let faces: Promise<Faces> | null = null;

/** The two faces' bytes, read once per process (1.4 MB together). */
function loadFaces(): Promise<Faces> {
  faces ??= (async () => {
    const [regular, bold] = await Promise.all(['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => readFile(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))));
    const parsed = [fontkit.create(regular!), fontkit.create(bold!)];
    const seen = new Map<number, boolean>();
    const covers: GlyphCover = (cp) => {
      let ok = seen.get(cp);
      if (ok === undefined) {
        ok = parsed.every((f) => f.hasGlyphForCodePoint(cp));
        seen.set(cp, ok);
      }
      return ok;
    };
    return { regular: regular!, bold: bold!, covers };
  })();
  faces.catch(() => {
    faces = null;
  });
  return faces;
}

/** DejaVu Sans and DejaVu Sans Bold embedded (as subsets) in `doc`, and what they cover. */
export async function embedDejaVu(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont; covers: GlyphCover }> {
  const f = await loadFaces();
  doc.registerFontkit(fontkit);
  const options = { subset: true, features: { liga: false } };
  return { regular: await doc.embedFont(f.regular, options), bold: await doc.embedFont(f.bold, options), covers: f.covers };
}
