/**
 * @module Learning one labelled document (docs/vendor-memory.md#learning): the
 * vendor its anchors recognise, or a new one, counts the anchors, the static fields'
 * values (with the replacement rule of counts.ts) and the labels and places of every
 * field found on the page, and how right capture's confidences were (calibration). Pure: a memory in, a new memory and a summary out.
 */
import { count, emptyField, observeValue } from './counts.ts';
import { MEMORY_LIMITS, type FieldMemory, type Observation, type VendorMemory, type VendorRecord } from './model.ts';
import { recognise } from './recognise.ts';
import { recordOutcomes } from '../calibration-outcomes.ts';

export interface Learned {
  vendor: string;
  /** Whether the vendor was new to the memory. */
  new_vendor: boolean;
  anchors: number;
  /** Fields learned: by value (static), by label or place (changing), or both. */
  fields: { name: string; value: boolean; label: string | null; place: string | null }[];
}

/** An observation teaches something when it has an anchor and at least one field located or kept by value. */
export function teaches(o: Observation): boolean {
  return o.anchors.some((a) => a.kind !== 'layout') && o.fields.some((f) => f.label !== null || f.place !== null);
}

function learnField(f: FieldMemory, o: Observation['fields'][number], now: number): FieldMemory {
  let next = o.kind === 'static' ? observeValue(f, o.value, now) : f;
  if (o.label !== null) next = { ...next, labels: count(next.labels, o.label, now) };
  if (o.place !== null) next = { ...next, places: count(next.places, o.place, now) };
  return next;
}

export function learn(memory: VendorMemory, o: Observation, now: number, newId: () => string): { memory: VendorMemory; learned: Learned } {
  const known = recognise(memory, o.anchors);
  const base: VendorRecord = known?.vendor ?? { id: newId(), documents: 0, created: now, updated: now, anchors: {}, fields: {} };
  const anchors = { ...base.anchors };
  for (const a of o.anchors) anchors[a.kind] = count(anchors[a.kind] ?? [], a.value, now);
  const typeFields = { ...(base.fields[o.document_type] ?? {}) };
  const fields: Learned['fields'] = [];
  for (const f of o.fields) {
    if (f.kind === 'changing' && f.label === null && f.place === null) continue;
    typeFields[f.name] = learnField(typeFields[f.name] ?? emptyField(), f, now);
    fields.push({ name: f.name, value: f.kind === 'static', label: f.label, place: f.place });
  }
  const vendor: VendorRecord = { ...base, documents: base.documents + 1, updated: now, anchors, fields: { ...base.fields, [o.document_type]: typeFields } };
  const others = memory.vendors.filter((v) => v.id !== vendor.id);
  // The least recently updated vendors go first when the memory is full.
  const vendors = [vendor, ...others].slice(0, MEMORY_LIMITS.vendors);
  // Outcomes count as the capture saw them: with the vendor known when it recognised one.
  const calibration = o.outcomes && o.outcomes.length > 0 ? recordOutcomes(memory.calibration, o.document_type, known !== null, o.outcomes) : memory.calibration;
  return { memory: { version: 1, vendors, ...(calibration ? { calibration } : {}) }, learned: { vendor: vendor.id, new_vendor: !known, anchors: o.anchors.length, fields } };
}

/** A short view of the memory for `GET /projects/{id}/memory`. */
export function describeMemory(memory: VendorMemory) {
  return memory.vendors.map((v) => ({
    id: v.id,
    documents: v.documents,
    updated_at: new Date(v.updated).toISOString(),
    anchors: Object.fromEntries(Object.entries(v.anchors).map(([k, list]) => [k, (list ?? []).map((c) => ({ value: c.value, count: c.n }))])),
    fields: Object.fromEntries(Object.entries(v.fields).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([name, f]) => [name, {
      value: f.held, counts: f.values.map((c) => ({ value: c.value, count: c.n })), labels: f.labels.map((c) => ({ value: c.value, count: c.n })), places: f.places.map((c) => ({ value: c.value, count: c.n })),
    }]))])),
  }));
}
