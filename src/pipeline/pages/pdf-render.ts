/**
 * @module Renders one PDF page to a bitmap with pdf.js and @napi-rs/canvas (the one
 * copy pdf.js itself resolves: a second copy segfaulted, NOTES "PDF"). The pixel
 * limit is checked before any canvas is allocated, so `ocrmypdf-hugemono.pdf`
 * (8400 pt square, 35000 px at 300 dpi) fails with `page_too_large` at no cost.
 * Measured 0.25–0.55 s a page at 300 dpi.
 */
import { openPdf, pdfFailure } from './pdf-doc.ts';
import { checkPixels, rgbaToGrey, type RawImage } from './raw-image.ts';

interface CanvasLike {
  width: number;
  height: number;
  data(): Uint8Array;
}

interface CanvasFactoryLike {
  create(width: number, height: number): { canvas: CanvasLike; context: unknown };
  destroy(entry: { canvas: CanvasLike; context: unknown }): void;
}

/** Page `index` (0-based) at `dpi`; grey unless `colour`. Rejects with a `TaskFailure`. */
export async function renderPdfPage(filePath: string, index: number, dpi: number, maxPixels: number, colour: boolean): Promise<RawImage> {
  const doc = await openPdf(filePath, maxPixels);
  if (index < 0 || index >= doc.numPages) throw pdfFailure(new Error(`no page ${index + 1}`));
  try {
    const page = await doc.getPage(index + 1);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: dpi / 72 });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    checkPixels(width, height, maxPixels, `page ${index + 1} at ${dpi} dpi`);
    const factory = (doc as unknown as { canvasFactory: CanvasFactoryLike }).canvasFactory;
    const entry = factory.create(width, height);
    try {
      await page.render({ canvas: entry.canvas as unknown as HTMLCanvasElement, viewport }).promise;
      const rgba = entry.canvas.data();
      const data = colour ? Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength) : rgbaToGrey(rgba, width * height);
      return {
        data: colour ? Buffer.from(data) : data,
        width,
        height,
        channels: colour ? 4 : 1,
        dpi,
        declaredDpi: dpi,
        widthPt: base.width,
        heightPt: base.height,
        bilevel: false,
      };
    } finally {
      factory.destroy(entry);
      page.cleanup();
    }
  } catch (err) {
    throw pdfFailure(err);
  }
}
