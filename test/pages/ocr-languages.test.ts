/**
 * @module A project's `ocr.languages` reach Tesseract (ocr/native.ts): Tesseract's
 * eurotext page (shared corpus, tiff/) read in English only spells the German "über"
 * as "iiber"; read with German and French as well, it spells it right. A language
 * whose pack is not installed is left out with a warning, and the page is still
 * read. Skipped when `tesseract` or its deu/fra packs are missing (CI installs them,
 * .ci/run).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createNativeOcr, installedLanguages, nativeAvailable } from '../../src/pipeline/ocr/native.ts';
import type { OcrEngine, OcrImage } from '../../src/pipeline/ocr/types.ts';
import { parseProject } from '../../src/core/project.ts';

const packs = nativeAvailable() ? installedLanguages() : new Set<string>();
const skip = !nativeAvailable() ? 'tesseract is not on PATH' : !packs.has('deu') || !packs.has('fra') ? 'apt-get install tesseract-ocr-deu tesseract-ocr-fra' : false;
const engines: OcrEngine[] = [];
after(() => Promise.all(engines.map((e) => e.close())));

async function eurotext(): Promise<OcrImage> {
  const { data, info } = await sharp(new URL('../../../shared/corpus/tiff/eurotext.tif', import.meta.url).pathname).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, channels: 1, width: info.width, height: info.height, dpi: 300, declaredDpi: 300 };
}

const options = () => ({ timeoutMs: 120_000, signal: new AbortController().signal });

describe('ocr.languages', { skip }, () => {
  it('reads German and French letters only with their packs', async () => {
    const e = createNativeOcr({ concurrency: 1 });
    engines.push(e);
    const image = await eurotext();
    const english = (await e.recognize(image, options())).map((w) => w.text);
    const european = (await e.recognize(image, { ...options(), languages: ['eng', 'deu', 'fra'] })).map((w) => w.text);
    assert.ok(!english.includes('über'), english.join(' '));
    assert.ok(european.includes('über'), european.join(' '));
    assert.ok(european.includes('„schnelle”'), european.join(' '));
  });

  it('leaves out a language without a pack, with a warning, and still reads', async () => {
    const e = createNativeOcr({ concurrency: 1 });
    engines.push(e);
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    const words = await e.recognize(await eurotext(), { ...options(), languages: ['deu', 'zzz'] });
    await new Promise((r) => setImmediate(r));
    process.off('warning', listen);
    assert.ok(words.some((w) => w.text === 'über'));
    assert.ok(warnings.some((m) => m.includes('zzz')), warnings.join('; '));
  });

  it('a project names at most 4 languages, as Tesseract codes', () => {
    const ok = parseProject({ name: 'p', ocr: { languages: ['eng', 'deu', 'fra', 'nld'] } });
    assert.ok(ok.ok && ok.project.capture?.ocr.languages?.join() === 'eng,deu,fra,nld');
    const bad = parseProject({ name: 'p', ocr: { languages: ['English', 'deu', 'fra', 'nld', 'ita'] } });
    assert.ok(!bad.ok && bad.problems.some((p) => p.path === 'ocr.languages[0]') && bad.problems.some((p) => p.path === 'ocr.languages'));
  });
});
