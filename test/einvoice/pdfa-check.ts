/**
 * @module What can be checked of a `facturx` PDF's PDF/A-3 conformance without
 * veraPDF (not in Debian nor on the npm registry), with independent tools: qpdf
 * (`--check`, and `--json` for every object, streams decoded) and Apache PDFBox
 * Preflight (Debian libpdfbox2-java), which validates PDF/A-1b only. `pdfaProblems`
 * lists each PDF/A-3 requirement the file misses among: the XMP identification
 * (pdfaid part 3, conformance B) and the Factur-X `fx:` extension schema; `/AF` with
 * `/AFRelationship`, `/F`, `/UF`, and a `text/xml` embedded file with `/Params
 * /ModDate`; an OutputIntent `/GTS_PDFA1` whose ICC profile is an RGB display profile
 * matching `/N 3`; the trailer `/ID`; fonts embedded when text is painted visibly
 * (rendering mode 3, invisible, needs none: ISO 19005-3 § 6.2.11.4.1); no encryption.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Obj { value?: Json; stream?: { dict: Record<string, Json>; data?: string } }

function withFile<T>(pdf: Uint8Array, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'docket-pdfa-'));
  try {
    const file = join(dir, 'f.pdf');
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every object of the file as qpdf reads it (JSON v2), streams decoded. */
function qpdfObjects(file: string): { objects: Record<string, Obj>; trailer: Record<string, Json> } {
  const out = execFileSync('qpdf', ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', file], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  const all = (JSON.parse(out) as { qpdf: [unknown, Record<string, Obj>] }).qpdf[1];
  const objects: Record<string, Obj> = {};
  for (const [k, v] of Object.entries(all)) if (k.startsWith('obj:')) objects[k.slice(4)] = v;
  return { objects, trailer: (all.trailer?.value ?? {}) as Record<string, Json> };
}

/** The checks; an empty list when every one passes. */
export function pdfaProblems(pdf: Uint8Array): string[] {
  return withFile(pdf, (file) => {
    const problems: string[] = [];
    const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    if (check.status !== 0 || !/No syntax or stream encoding errors/.test(check.stdout)) problems.push(`qpdf --check: ${check.stdout}${check.stderr}`.trim());
    const { objects, trailer } = qpdfObjects(file);
    const deref = (v: Json | undefined): Json | undefined => (typeof v === 'string' && / R$/.test(v) ? (objects[v]?.value ?? (objects[v]?.stream?.dict as Json)) : v);
    const dict = (v: Json | undefined): Record<string, Json> => { const d = deref(v); return d && typeof d === 'object' && !Array.isArray(d) ? d : {}; };
    const data = (ref: Json | undefined): Buffer => Buffer.from((typeof ref === 'string' ? objects[ref]?.stream?.data : undefined) ?? '', 'base64');
    const root = dict(trailer['/Root']);
    if (trailer['/Encrypt'] !== undefined) problems.push('the file is encrypted');
    if (!Array.isArray(trailer['/ID']) || trailer['/ID'].length !== 2) problems.push('no /ID in the trailer');

    const xmp = data(root['/Metadata']).toString('utf8');
    for (const [what, re] of [
      ['pdfaid:part 3', /<pdfaid:part>3<\/pdfaid:part>/], ['pdfaid:conformance B', /<pdfaid:conformance>B<\/pdfaid:conformance>/],
      ['fx:DocumentFileName', /<fx:DocumentFileName>factur-x\.xml</], ['fx:DocumentType', /<fx:DocumentType>INVOICE</], ['fx:Version', /<fx:Version>1\.0</], ['fx:ConformanceLevel', /<fx:ConformanceLevel>[A-Z0-9 ]+</],
      ['the fx extension schema', /<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#<\/pdfaSchema:namespaceURI>\s*<pdfaSchema:prefix>fx</],
    ] as const) if (!re.test(xmp)) problems.push(`XMP metadata lacks ${what}`);
    for (const name of ['DocumentFileName', 'DocumentType', 'Version', 'ConformanceLevel']) if (!xmp.includes(`<pdfaProperty:name>${name}</pdfaProperty:name>`)) problems.push(`the fx extension schema does not declare ${name}`);

    const af = deref(root['/AF']);
    if (!Array.isArray(af) || af.length === 0) problems.push('no /AF array in the catalog');
    for (const ref of Array.isArray(af) ? af : []) {
      const spec = dict(ref);
      if (!['/Alternative', '/Data', '/Source', '/Supplement', '/Unspecified'].includes(String(spec['/AFRelationship']))) problems.push(`associated file ${String(ref)} has no valid /AFRelationship`);
      if (spec['/F'] === undefined || spec['/UF'] === undefined) problems.push(`associated file ${String(ref)} lacks /F or /UF`);
      const ef = dict(spec['/EF'])['/F'];
      const stream = typeof ef === 'string' ? objects[ef]?.stream?.dict ?? {} : {};
      if (stream['/Subtype'] !== '/text#2fxml' && stream['/Subtype'] !== '/text/xml') problems.push(`embedded file ${String(ef)} has no /Subtype text/xml (${String(stream['/Subtype'])})`);
      if (dict(stream['/Params'])['/ModDate'] === undefined) problems.push(`embedded file ${String(ef)} has no /Params /ModDate`);
    }

    const intents = deref(root['/OutputIntents']);
    const pdfa = (Array.isArray(intents) ? intents : []).map(dict).find((i) => i['/S'] === '/GTS_PDFA1');
    if (!pdfa) problems.push('no OutputIntent /GTS_PDFA1');
    else {
      const profileRef = pdfa['/DestOutputProfile'];
      const icc = data(profileRef);
      const n = typeof profileRef === 'string' ? objects[profileRef]?.stream?.dict['/N'] : undefined;
      const head = (a: number, b: number) => icc.subarray(a, b).toString('latin1');
      if (icc.length < 132 || head(36, 40) !== 'acsp' || icc.readUInt32BE(0) !== icc.length) problems.push('the OutputIntent has no well-formed ICC profile');
      else if (head(16, 20) !== 'RGB ' || n !== 3 || !['mntr', 'prtr', 'scnr'].includes(head(12, 16))) problems.push(`the OutputIntent profile is ${head(12, 16)} ${head(16, 20)} with /N ${String(n)}, not an RGB output profile with /N 3`);
    }

    problems.push(...fontProblems(objects, deref, dict, data));
    return problems;
  });
}

/** Fonts used to paint visible text without an embedded font program (FontFile, FontFile2, FontFile3). */
function fontProblems(objects: Record<string, Obj>, deref: (v: Json | undefined) => Json | undefined, dict: (v: Json | undefined) => Record<string, Json>, data: (ref: Json | undefined) => Buffer): string[] {
  const problems = new Set<string>();
  const embedded = (font: Record<string, Json>): boolean => {
    // A Type 0 font's DescendantFonts may be an array or a reference to one (intarsys samples).
    const descendants = deref(font['/DescendantFonts']);
    const descendant = Array.isArray(descendants) ? dict(descendants[0]) : font;
    const fd = dict(descendant['/FontDescriptor']);
    return fd['/FontFile'] !== undefined || fd['/FontFile2'] !== undefined || fd['/FontFile3'] !== undefined || font['/Subtype'] === '/Type3';
  };
  for (const obj of Object.values(objects)) {
    const page = obj.value as Record<string, Json> | undefined;
    if (!page || typeof page !== 'object' || Array.isArray(page) || page['/Type'] !== '/Page') continue;
    const fonts = dict(dict(page['/Resources'])['/Font']);
    const contents = deref(page['/Contents']);
    const text = (Array.isArray(contents) ? contents : [page['/Contents']]).map((r) => data(r).toString('latin1')).join('\n');
    // Graphics state: the rendering mode (Tr) is saved by q and restored by Q; a show operator paints with the current font.
    const stack: number[] = [];
    let mode = 0;
    let font = '';
    for (const m of text.matchAll(/\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf|(\d)\s+Tr|(?<![A-Za-z])(q|Q|Tj|TJ|'|")(?![A-Za-z])/g)) {
      if (m[1] !== undefined) font = m[1];
      else if (m[2] !== undefined) mode = Number(m[2]);
      else if (m[3] === 'q') stack.push(mode);
      else if (m[3] === 'Q') mode = stack.pop() ?? 0;
      else if (mode !== 3 && font && !embedded(dict(fonts[`/${font}`]))) problems.add(`font ${String(dict(fonts[`/${font}`])['/BaseFont'])} paints visible text and is not embedded`);
    }
  }
  return [...problems];
}

const JARS = ['preflight', 'pdfbox2', 'fontbox2', 'xmpbox', 'commons-logging', 'javax.activation', 'jaxb-api'].map((j) => `/usr/share/java/${j}.jar`);
/** Preflight's findings that are PDF/A-1 rules PDF/A-3 dropped: embedded files (ISO 19005-3 § 6.8 allows them) and the part number. */
const PDFA1_ONLY = [/^1\.4\.7 : .*EmbeddedFile/, /^1\.2\.9 : .*EmbeddedFile/, /^7\.11\.2 : .*part must be 1/];

/** Why Preflight cannot run here (no Java, no PDFBox), or null. */
export function preflightMissing(): string | null {
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) return 'java not found (Debian: default-jre-headless)';
  const missing = JARS.filter((j) => !existsSync(j));
  return missing.length === 0 ? null : `${missing.join(', ')} not found (Debian: libpdfbox2-java libactivation-java libjaxb-api-java)`;
}

/** PDFBox Preflight's PDF/A-1b errors for the file, less those PDF/A-3 allows. */
export function preflightErrors(pdf: Uint8Array): string[] {
  return withFile(pdf, (file) => {
    const r = spawnSync('java', ['-cp', JARS.join(':'), 'org.apache.pdfbox.preflight.Validator_A1b', file], { encoding: 'utf8', timeout: 120_000 });
    const lines = r.stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+(\.\d+)* : /.test(l));
    if (r.status !== 0 && lines.length === 0) return [`preflight did not run: ${r.stdout}${r.stderr}`.trim()];
    return lines.filter((l) => !PDFA1_ONLY.some((re) => re.test(l)));
  });
}
