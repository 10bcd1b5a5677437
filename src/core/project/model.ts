/**
 * @module The capture part of the project model (docs/project-file.md): document types, their
 * fields and extraction methods, field and cross-field rules, separation,
 * classification and export settings, in the normalised shape `parseProject`
 * produces. Every type here is plain JSON because the store saves a `Project` as
 * one JSON document per version, trained classifier included.
 */
import type { ExportSetting } from '../export-settings.ts';
import type { ScorerWeights } from '../scorer/model.ts';

export const FIELD_TYPES = ['text', 'date', 'amount', 'number', 'enum', 'table'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const SEPARATION_MODES = ['none', 'per_page', 'blank_page', 'barcode', 'patch_code', 'first_page_pattern', 'auto'] as const;
export type SeparationMode = (typeof SEPARATION_MODES)[number];
/** Kodak's six patch codes (pipeline/capture/patch-code.ts). */
export const PATCH_CODES = ['1', '2', '3', '4', '6', 'T'] as const;
export type PatchCode = (typeof PATCH_CODES)[number];

/** How to read an ambiguous numeric date such as 03/04/2024. */
export const DATE_ORDERS = ['dmy', 'mdy', 'ymd'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
/** Which OCR lines the line reader reads again (pipeline/ocr/line-merge.ts). */
export const LINE_READINGS = ['uncertain', 'all', 'off'] as const;
export type LineReading = (typeof LINE_READINGS)[number];

export interface OcrSettings {
  line_reading: LineReading;
  /** Tesseract language codes, the main one first (project/ocr-languages.ts); absent: English. */
  languages?: string[];
}

/** Projects that do not say, and projects stored before the setting existed, read uncertain lines again. */
export const DEFAULT_OCR_SETTINGS: OcrSettings = { line_reading: 'uncertain' };

/** A box in fractions of the page (0..1), so that one zone fits any page size. */
export interface Zone {
  /** 0-based page within the document; negative counts from the end (-1 = last page). */
  page: number | null;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * One way to find a field's value. A method combines what it names: `label` anchors
 * the search (value right of or below the label), `pattern` says what the value
 * looks like (its first capture group, if any, is the value), `zone` limits where to
 * look, `lookup` matches the text against a list. Without `pattern` the field
 * type's own shape is used (a date, an amount, …).
 */
export interface ExtractMethod {
  label: string[];
  pattern: string | null;
  /** Regex flags; `i` by default. */
  flags: string;
  zone: Zone | null;
  lookup: string | null;
  /** Where the value sits relative to the label. */
  position: 'right' | 'below' | 'any';
  /** Among several matches of a label-less pattern: the first, the last, the largest number, or the best scored. */
  pick: 'first' | 'last' | 'max' | 'best';
  /** Multiplies the candidates' scores, to prefer one method over another. */
  weight: number;
  /** For `text` fields with no pattern: take the whole line (true) or the text up to a wide gap (false). */
  whole_line: boolean;
  /** For `text` fields: a value may go on over this many lines (addresses), stopping before a line matching `until`. */
  max_lines: number;
  until: string | null;
  /**
   * A built-in layout reading instead of label/pattern/zone (heuristics.ts): `company`
   * (the issuer's name at the top, legal-form suffixes), `address` (the block under
   * it), `total` (keyword ranking checked against the other amounts), `tax` and
   * `subtotal` (the split of the total a tax line and the net amount add up to), `vat_id` and
   * `iban` (the issuer's, format- and check-digit-tested), `key_values`
   * (a table field: every "key: value" pair of a form, by geometry). Null = none.
   */
  heuristic: Heuristic | null;
  /** An EN 16931 business term ("BT-112", "BG-25") read from the e-invoice XML a PDF carries (docs/einvoices.md); no page reading. */
  einvoice?: string;
}

export const HEURISTICS = ['company', 'address', 'total', 'tax', 'subtotal', 'vat_id', 'iban', 'buyer', 'amount_due', 'key_values'] as const;
export type Heuristic = (typeof HEURISTICS)[number];

export interface TableColumn {
  name: string;
  type: Exclude<FieldType, 'table' | 'enum'>;
  /** Header texts that name this column. */
  header: string[];
  required: boolean;
}

export interface TableSpec {
  columns: TableColumn[];
  /** A row whose text matches this ends the table (e.g. "^(sub)?total"). */
  end: string | null;
}

export type CheckKind = 'luhn' | 'iban' | 'mod11';

export interface FieldRules {
  required: boolean;
  pattern: string | null;
  min: number | null;
  max: number | null;
  min_length: number | null;
  max_length: number | null;
  one_of: string[] | null;
  lookup: string | null;
  checksum: CheckKind | null;
  /** ISO dates, or relative `-30d` style offsets from the capture day. */
  date_min: string | null;
  date_max: string | null;
  /** Custom messages by rule name (`required`, `pattern`, `min`, …). */
  messages: Record<string, string>;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  /** Allowed values for `enum` fields (canonical spelling). */
  values: string[];
  extract: ExtractMethod[];
  rules: FieldRules;
  table: TableSpec | null;
  /** Below this a value needs confirmation; null = the project's threshold. */
  confidence_threshold: number | null;
}

export interface CrossRule {
  check: string;
  tolerance: number;
  message: string | null;
  /** The fields the expression reads, found at parse time. */
  fields: string[];
}

export interface WeightedPattern {
  pattern: string;
  weight: number;
}

export interface ClassifyRules {
  keywords: WeightedPattern[];
  patterns: WeightedPattern[];
  /** Folder of sample documents inside a bundle. */
  samples: string | null;
}

export interface DocumentType {
  name: string;
  classify: ClassifyRules;
  fields: FieldDef[];
  rules: CrossRule[];
}

export interface SeparationSettings {
  mode: SeparationMode;
  /** `barcode`: a page whose barcode text matches this starts a document (any barcode when null). */
  barcode_pattern: string | null;
  /** `patch_code`: the patches that make a page a separator (all six by default). */
  patch_codes: PatchCode[];
  /** `barcode`, `patch_code` and `blank_page`: drop the separator page (true by default). */
  drop_separator: boolean;
  /** `first_page_pattern`: a page whose text matches this starts a document. */
  pattern: string | null;
  /** A boundary below this confidence needs review. */
  confidence_threshold: number;
}

export interface ClassificationSettings {
  /** A document whose type confidence is below this is "unknown". */
  threshold: number;
  /** A type between `threshold` and `confirm_threshold` needs confirmation. */
  confirm_threshold: number;
}


/** A trained nearest-centroid TF-IDF model (see classifier.ts). */
export interface ClassifierModel {
  vocabulary: string[];
  idf: number[];
  /** Per type: sparse centroid as [term index, weight] pairs, unit length. */
  centroids: { type: string; terms: [number, number][] }[];
  /** 1 / the logit per unit of similarity, fitted on the samples (leave-one-out; calibrate.ts). */
  temperature: number;
  samples: number;
  /** Models before the joint fit: a low (10th percentile) similarity of samples to their own centroid; below it confidence is damped. */
  reference_similarity?: number;
  /** The logit per unit of keyword/pattern weight, fitted with the model (absent on older models). */
  rule_weight?: number;
  /** The logit of "none of the types" (absent on older models, which average rules and model instead). */
  none_logit?: number;
}

export interface CaptureSettings {
  separation: SeparationSettings;
  classification: ClassificationSettings;
  document_types: DocumentType[];
  /** The export section; its formats and checks live in export-settings.ts. */
  export: ExportSetting[];
  date_order: DateOrder;
  ocr: OcrSettings;
  /** Named lookup lists (inline in the file or CSV files of a bundle). */
  lookups: Record<string, string[]>;
  model: ClassifierModel | null;
  /** The learned candidate scorer (docs/project-file.md#scorer): the built-in weights, none (hand scores), the project's latest retrained version (`learned`), or its own. Absent on projects stored before it: built-in. */
  scorer?: ScorerWeights | 'builtin' | 'none' | 'learned';
}
