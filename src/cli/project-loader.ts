/**
 * @module Turns an uploaded project file into a compiled project: YAML or JSON text,
 * or a zip bundle (`.alproj`) whose sample documents are read by the page engine
 * (text layer or OCR) and used, with any `.txt` samples, to train the classifier.
 * It lives in the CLI because it joins core (parsing) with the page engine (reading).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProject, projectFromBundle, projectFromFile, type Sample } from '../core/project.ts';
import { pageText } from '../core/page.ts';
import { sniffType } from '../pipeline/sniff.ts';
import { DEFAULT_LIMITS, type Engines } from '../pipeline/types.ts';
import type { ProjectLoader } from '../api/deps.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];

export function projectLoader(engines: Engines): ProjectLoader {
  return async (body, contentType) => {
    if (ZIP.every((b, i) => body[i] === b)) {
      const bundle = projectFromBundle(body);
      if (!bundle.ok) return bundle;
      const samples: Sample[] = [...bundle.sampleTexts];
      if (bundle.samples.length > 0) {
        const dir = await mkdtemp(join(tmpdir(), 'docket-samples-'));
        try {
          for (const [i, sample] of bundle.samples.entries()) {
            const type = sniffType(sample.data);
            if (!type) return { ok: false, problems: [{ path: sample.name, message: 'a sample must be a PDF, TIFF, JPEG, PNG or .txt file' }] };
            const path = join(dir, `${i}`);
            await writeFile(path, sample.data);
            try {
              const pages = await engines.pages.readPages({ filePath: path, fileType: type, limits: DEFAULT_LIMITS, signal: AbortSignal.timeout(120_000) });
              samples.push({ type: sample.type, text: pages.map(pageText).join('\n') });
            } catch (err) {
              return { ok: false, problems: [{ path: sample.name, message: `the sample could not be read: ${(err as Error).message}` }] };
            }
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      return { ok: true, project: samples.length > 0 ? compileProject(bundle.project, samples) : bundle.project };
    }
    const json = /json/i.test(contentType ?? '');
    return projectFromFile(body.toString('utf8'), json ? 'project.json' : 'project.yaml');
  };
}
