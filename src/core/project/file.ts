/**
 * @module The ways a project arrives: a YAML or JSON text, or a zip bundle (also
 * `.alproj`) holding `project.yaml`, sample documents and lookup lists (CSV). Each
 * ends in `parseProject`, so a broken file is reported whole and nothing is
 * installed half-way. `compileProject` trains the classifier from sample texts; the
 * caller turns sample PDFs and images into text with the page engine first (core
 * does no I/O), while `.txt` samples in a bundle are used as they are.
 */
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseProject, type Project, type ProjectParse } from '../project.ts';
import { trainClassifier, type Sample } from './classifier.ts';
import { keywordScores } from './keywords.ts';
import { readZip, ZipError } from './zip.ts';

/** A sample document found in a bundle, to be read by the page engine before `compileProject`. */
export interface BundleSample {
  type: string;
  name: string;
  data: Uint8Array;
}

export type BundleParse = { ok: true; project: Project; samples: BundleSample[]; sampleTexts: Sample[] } | { ok: false; problems: { path: string; message: string }[] };

const PROJECT_NAMES = ['project.yaml', 'project.yml', 'project.json'];
const SAMPLE_EXTENSIONS = /\.(pdf|tiff?|jpe?g|png|txt)$/i;

/** Parses YAML (JSON is YAML too) and checks it. */
export function projectFromFile(text: string, fileName = 'project.yaml'): ProjectParse {
  let input: unknown;
  try {
    input = /\.json$/i.test(fileName) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    const e = err as Error;
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    return { ok: false, problems: [{ path: '', message: `${fileName} is not valid ${/\.json$/i.test(fileName) ? 'JSON' : 'YAML'}${where}: ${e.message.split('\n')[0]}` }] };
  }
  return parseProject(input);
}

/** The first column of each CSV row after the header row, unquoted. */
export function csvFirstColumn(text: string): string[] {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: string[] = [];
  for (const row of rows.slice(1)) {
    const m = /^\s*(?:"((?:[^"]|"")*)"|([^,;\t]*))/.exec(row);
    const cell = (m?.[1]?.replace(/""/g, '"') ?? m?.[2] ?? '').trim();
    if (cell !== '') out.push(cell);
  }
  return out;
}

export function projectFromBundle(zip: Uint8Array): BundleParse {
  let entries;
  try {
    entries = readZip(zip);
  } catch (err) {
    if (err instanceof ZipError) return { ok: false, problems: [{ path: '', message: `the bundle is not a readable zip: ${err.message}` }] };
    throw err;
  }
  // A bundle zipped from its folder has one top-level directory: strip it.
  const tops = new Set(entries.map((e) => (e.name.includes('/') ? e.name.split('/')[0] : '')));
  const prefix = tops.size === 1 && !tops.has('') ? `${[...tops][0]}/` : '';
  const files = new Map(entries.map((e) => [e.name.slice(prefix.length), e.data]));
  const projectName = PROJECT_NAMES.find((n) => files.has(n));
  if (!projectName) return { ok: false, problems: [{ path: '', message: `the bundle has no ${PROJECT_NAMES.join(' or ')}` }] };
  const decoder = new TextDecoder();
  const lookups: Record<string, string[]> = {};
  for (const [name, data] of files) {
    const m = /^lookups\/([^/]+)\.csv$/i.exec(name);
    if (m) lookups[m[1] as string] = csvFirstColumn(decoder.decode(data));
  }
  let input: unknown;
  try {
    const text = decoder.decode(files.get(projectName));
    input = projectName.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [{ path: '', message: `${projectName} is not valid: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const parsed = parseProject(input, { lookups });
  if (!parsed.ok) return parsed;
  const samples: BundleSample[] = [];
  for (const type of parsed.project.capture?.document_types ?? []) {
    const folder = (type.classify.samples ?? `samples/${type.name}/`).replace(/^\.?\//, '').replace(/\/?$/, '/');
    for (const [name, data] of files) {
      if (name.startsWith(folder) && SAMPLE_EXTENSIONS.test(name)) samples.push({ type: type.name, name, data });
    }
  }
  const texts = samples.filter((s) => /\.txt$/i.test(s.name)).map((s) => ({ type: s.type, text: decoder.decode(s.data) }));
  const project = texts.length > 0 ? compileProject(parsed.project, texts) : parsed.project;
  return { ok: true, project, samples: samples.filter((s) => !/\.txt$/i.test(s.name)), sampleTexts: texts };
}

/**
 * Trains the classifier from sample texts (one per sample document, with its type)
 * and returns the project with the model in `capture.model`. Synchronous and pure:
 * ~0.1 s for 50 one-page samples (most of it the calibration). Without samples of at least two types the
 * project keeps its keyword rules only.
 */
export function compileProject(project: Project, samples: readonly Sample[]): Project {
  if (!project.capture) return project;
  const known = new Set(project.capture.document_types.map((t) => t.name));
  const types = project.capture.document_types;
  const model = trainClassifier(samples.filter((s) => known.has(s.type)), (text) => keywordScores(types, text));
  if (!model) return project;
  return { ...project, capture: { ...project.capture, model } };
}
