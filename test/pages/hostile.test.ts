/**
 * @module Every file in the corpus's `hostile` folder ends cleanly within a bounded
 * time: pages when it can be recovered, else a `TaskFailure` with a stable code. The
 * engine (and its worker threads) must still work after all of them. Skipped with the
 * reason when the corpus is absent, a failure when DOCKET_REQUIRE_CORPUS=1
 * (test/helpers/corpus.ts).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPageEngine } from '../../src/pipeline/pages/engine.ts';
import { sniffFile } from '../../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS } from '../../src/pipeline/types.ts';
import { TaskFailure, type TaskErrorCode } from '../../src/core/errors.ts';
import { textPdf, withTempDir } from './fixtures.ts';
import { CORPUS, skipCorpus } from '../helpers/corpus.ts';

const skip = skipCorpus('hostile');
const engine = createPageEngine({ threads: 2 });
after(() => engine.close());
const limits = { ...DEFAULT_LIMITS, ocrDpi: 150, pageTimeoutMs: 30_000 };
const CLEAN: readonly TaskErrorCode[] = ['corrupt_file', 'encrypted_pdf', 'page_too_large', 'too_many_pages', 'page_timeout'];

const EXPECTED: Record<string, TaskErrorCode> = {
  'ocrmypdf-hugemono.pdf': 'page_too_large',
  'paperless-password-is-test.pdf': 'encrypted_pdf',
  'pdflib-encrypted_old.pdf': 'encrypted_pdf',
  'encryption_openpassword.pdf': 'encrypted_pdf',
  'qpdf-encrypted-40-bit-R3.pdf': 'encrypted_pdf',
  'pdfium-encrypted_hello_world_r2.pdf': 'encrypted_pdf',
  'pdfjs-saslprep-r6.pdf': 'encrypted_pdf',
};

describe('hostile files', { skip }, () => {
  const files = skip ? [] : readdirSync(join(CORPUS, 'hostile'));
  for (const name of files) {
    it(`${name} ends cleanly`, async () => {
      const path = join(CORPUS, 'hostile', name);
      const type = await sniffFile(path);
      if (type === null) return; // The sniff stage fails it as unsupported_file_type.
      try {
        const pages = await engine.readPages({ filePath: path, fileType: type, limits, signal: new AbortController().signal });
        assert.ok(pages.length > 0);
        assert.equal(EXPECTED[name], undefined, `${name} should have failed with ${EXPECTED[name]}`);
      } catch (err) {
        assert.ok(err instanceof TaskFailure, `${name}: ${String(err)}`);
        assert.ok(CLEAN.includes(err.code), `${name}: ${err.code}`);
        if (EXPECTED[name]) assert.equal(err.code, EXPECTED[name]);
      }
    });
  }

  it('still reads an ordinary file afterwards', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'ok.pdf');
      await textPdf(path, [[{ text: 'Still alive and reading', x: 72, baseline: 72, size: 12 }]]);
      const [page] = await engine.readPages({ filePath: path, fileType: 'pdf', limits, signal: new AbortController().signal });
      assert.equal(page!.lines[0]!.text, 'Still alive and reading');
    });
  });
});
