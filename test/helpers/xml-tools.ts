/**
 * @module The independent tools the e-invoice suites check docket's output with:
 * libxml2's `xmllint --schema` (Debian libxml2-utils) against the official XSDs vendored
 * in `schemas/`, and `qpdf` (Debian qpdf) to read a PDF's attachments back. When a tool
 * is missing its suites are skipped with the reason — unless DOCKET_REQUIRE_XMLLINT=1
 * (set by CI), which turns that into a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REQUIRE_XML_TOOLS = process.env.DOCKET_REQUIRE_XMLLINT === '1';
const ROOT = new URL('../..', import.meta.url).pathname;
export const CII_XSD = join(ROOT, 'schemas/cii-d16b/CrossIndustryInvoice_100pD16B.xsd');
export const UBL_XSD = join(ROOT, 'schemas/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd');
export const UBL_CREDIT_NOTE_XSD = join(ROOT, 'schemas/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd');

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The `skip` option for a suite needing `tools`: false to run, or the reason; throws when CI requires them. */
export function skipXmlTools(...tools: ('xmllint' | 'qpdf')[]): false | string {
  const missing = tools.filter((t) => !has(t));
  if (missing.length === 0) return false;
  const reason = `${missing.join(' and ')} not found (Debian: apt-get install ${missing.map((t) => (t === 'xmllint' ? 'libxml2-utils' : t)).join(' ')})`;
  if (REQUIRE_XML_TOOLS) throw new Error(`DOCKET_REQUIRE_XMLLINT=1 but ${reason}`);
  return reason;
}

/** xmllint's verdict on `xml` against the schema at `xsd`: ok, and its messages when not. */
export function validateXsd(xml: string | Uint8Array, xsd: string): { ok: boolean; messages: string } {
  const dir = mkdtempSync(join(tmpdir(), 'docket-xsd-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, file], { encoding: 'utf8' });
    return { ok: r.status === 0, messages: `${r.stderr}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `qpdf --list-attachments` of a PDF, and the bytes of one attachment (`--show-attachment`). */
export function qpdfAttachments(pdf: Uint8Array, name: string): { listing: string; bytes: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'docket-qpdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    const listing = execFileSync('qpdf', ['--list-attachments', '--verbose', file], { encoding: 'utf8' });
    const bytes = execFileSync('qpdf', [`--show-attachment=${name}`, file], { maxBuffer: 64 * 1024 * 1024 });
    return { listing, bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** xmllint over many documents in one run (the schema is loaded once): file name → valid, and the messages. */
export function validateXsdMany(docs: Record<string, string>, xsd: string): { valid: Record<string, boolean>; messages: string } {
  const dir = mkdtempSync(join(tmpdir(), 'docket-xsd-'));
  try {
    const files = Object.entries(docs).map(([name, xml]) => {
      const file = join(dir, name);
      writeFileSync(file, xml);
      return file;
    });
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const valid = Object.fromEntries(Object.keys(docs).map((name) => [name, new RegExp(`${join(dir, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} validates`).test(r.stderr)]));
    return { valid, messages: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
