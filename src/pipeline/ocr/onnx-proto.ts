/**
 * @module The few parts of ONNX's protobuf format (onnx.proto, ModelProto) that the
 * line reader's model rewrite (line-model.ts) reads and writes: a graph's nodes, their
 * attributes and constant tensors. A message is kept as its list of fields, each with
 * its raw payload, so that every field this module does not know (opset imports,
 * graph inputs, value infos, doc strings) is written back byte for byte. No protobuf
 * library is a dependency of the service, and the protobuf wire format is small: a
 * varint tag (field number × 8 + wire type) before each field, a varint length before
 * each length-delimited one.
 */

/** One field of a message: its number, its wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32) and its payload. */
export interface Field {
  no: number;
  wire: number;
  /** The varint's bytes, the 4 or 8 fixed bytes, or the length-delimited contents. */
  raw: Uint8Array;
}

function varint(buf: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    if (i >= buf.length) throw new Error('the model file ends inside a varint');
    const byte = buf[i++]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: i };
  }
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** The fields of one message, in file order. */
export function decode(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const tag = varint(buf, at);
    const no = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    at = tag.next;
    let end: number;
    if (wire === 0) end = varint(buf, at).next;
    else if (wire === 1) end = at + 8;
    else if (wire === 5) end = at + 4;
    else if (wire === 2) {
      const len = varint(buf, at);
      at = len.next;
      end = at + len.value;
    } else throw new Error(`the model file has a protobuf field of wire type ${wire}`);
    if (end > buf.length) throw new Error('the model file ends inside a field');
    fields.push({ no, wire, raw: buf.subarray(at, end) });
    at = end;
  }
  return fields;
}

/** The message's bytes: each field's tag, its length if it has one, and its payload. */
export function encode(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const f of fields) {
    const head: number[] = [];
    writeVarint(head, f.no * 8 + f.wire);
    if (f.wire === 2) writeVarint(head, f.raw.length);
    parts.push(Uint8Array.from(head), f.raw);
    total += head.length + f.raw.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

export function str(no: number, value: string): Field {
  return { no, wire: 2, raw: utf8.encode(value) };
}

export function msg(no: number, fields: readonly Field[]): Field {
  return { no, wire: 2, raw: encode(fields) };
}

export function int(no: number, value: number): Field {
  const out: number[] = [];
  writeVarint(out, value);
  return { no, wire: 0, raw: Uint8Array.from(out) };
}

export function float32(no: number, value: number): Field {
  const raw = new Uint8Array(4);
  new DataView(raw.buffer).setFloat32(0, value, true);
  return { no, wire: 5, raw };
}

export function asString(f: Field): string {
  return text.decode(f.raw);
}

export function asInt(f: Field): number {
  return varint(f.raw, 0).value;
}

/** A repeated integer field's values, packed (one length-delimited field) or not (one field each). */
export function ints(fields: readonly Field[], no: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.no !== no) continue;
    if (f.wire === 0) out.push(asInt(f));
    else for (let at = 0; at < f.raw.length; ) {
      const v = varint(f.raw, at);
      out.push(v.value);
      at = v.next;
    }
  }
  return out;
}
