/**
 * @module The page engine finds the invoice XML of every public e-invoice PDF
 * (`labeled/einvoices`), and the bytes it returns are those of `NAME.gt.xml`, which the
 * corpus copied byte for byte from the attachment (as `qpdf --show-attachment`
 * prints it). Further attachments under other names (images, PDFs, a second XML
 * in `4s4u-additional-data-sample-1`) are not returned.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { EMBEDDED_NAMES } from '../../src/pipeline/einvoice/embedded.ts';
import { XML_LIMITS } from '../../src/pipeline/einvoice/read.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const FOLDER = 'labeled/einvoices';
const skip = skipCorpus(FOLDER);
const engine = createPageEngine({ threads: 2 });
after(() => engine.close());

test('every corpus e-invoice PDF yields exactly its gt.xml', { skip }, async () => {
  const dir = join(CORPUS, FOLDER);
  const pdfs = readdirSync(dir).filter((n) => n.endsWith('.pdf')).sort();
  assert.ok(pdfs.length >= 61);
  const wrong: string[] = [];
  for (const name of pdfs) {
    const found = await engine.attachments(join(dir, name), EMBEDDED_NAMES, XML_LIMITS.bytes);
    const want = readFileSync(join(dir, name.replace(/\.pdf$/, '.gt.xml')));
    if (found.length !== 1 || found[0]?.via !== 'names' || !found[0].data || Buffer.compare(Buffer.from(found[0].data), want) !== 0) {
      wrong.push(`${name}: ${found.map((a) => `${a.name} via ${a.via}, ${a.size} bytes`).join('; ') || 'none'}`);
    }
  }
  assert.deepEqual(wrong, []);
});
