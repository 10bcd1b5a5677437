/**
 * @module An sRGB ICC profile (ICC.1:2001-04, version 2.1, display class), built here
 * so that a `facturx` PDF can carry the OutputIntent PDF/A-3 asks for when its pages
 * paint in device RGB (ISO 19005-3 § 6.2.4.3): pdf-lib draws in DeviceRGB, and a
 * file without an OutputIntent has no colour meaning for it. No profile file ships
 * with the project's packages (pdf.js carries only a CMYK one), so the profile is
 * written from the sRGB definition of IEC 61966-2.1: its primaries adapted to the D50
 * connection space (Bradford), the D65 white point, and its tone curve sampled at
 * 1024 points. About 2.5 KB.
 */

const D50: readonly [number, number, number] = [0.9642, 1.0, 0.8249];
const D65: readonly [number, number, number] = [0.9505, 1.0, 1.089];
/** sRGB colorants in the D50 connection space (Bradford adaptation), as in IEC 61966-2.1 profiles. */
const RED: readonly [number, number, number] = [0.4360747, 0.2225045, 0.0139322];
const GREEN: readonly [number, number, number] = [0.3850649, 0.7168786, 0.0971045];
const BLUE: readonly [number, number, number] = [0.1430804, 0.0606169, 0.7141733];
const CURVE_POINTS = 1024;
export const SRGB_DESCRIPTION = 'sRGB IEC61966-2.1';

function s15Fixed16(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(Math.round(v * 65536));
  return b;
}

function xyzType(xyz: readonly number[]): Buffer {
  return Buffer.concat([Buffer.from('XYZ \0\0\0\0', 'latin1'), ...xyz.map(s15Fixed16)]);
}

/** The sRGB decoding function (IEC 61966-2.1 § 5.2), sampled as a 16-bit curve. */
function curveType(): Buffer {
  const b = Buffer.alloc(12 + 2 * CURVE_POINTS);
  b.write('curv', 0, 'latin1');
  b.writeUInt32BE(CURVE_POINTS, 8);
  for (let i = 0; i < CURVE_POINTS; i++) {
    const v = i / (CURVE_POINTS - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    b.writeUInt16BE(Math.round(linear * 65535), 12 + 2 * i);
  }
  return b;
}

/** textDescriptionType: the ASCII description, no Unicode or ScriptCode one. */
function descType(text: string): Buffer {
  const ascii = Buffer.from(`${text}\0`, 'latin1');
  const head = Buffer.alloc(12);
  head.write('desc', 0, 'latin1');
  head.writeUInt32BE(ascii.length, 8);
  // Unicode language code and count (8 bytes), ScriptCode code and count (3 bytes), the 67-byte ScriptCode field.
  return Buffer.concat([head, ascii, Buffer.alloc(8 + 3 + 67)]);
}

function textType(text: string): Buffer {
  return Buffer.concat([Buffer.from('text\0\0\0\0', 'latin1'), Buffer.from(`${text}\0`, 'latin1')]);
}

function padded(b: Buffer): Buffer {
  return b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]);
}

/** The profile's bytes. */
export function srgbProfile(): Buffer {
  const trc = curveType();
  const tags: [string, Buffer][] = [
    ['desc', descType(SRGB_DESCRIPTION)],
    ['cprt', textType('No copyright, use freely')],
    ['wtpt', xyzType(D65)],
    ['rXYZ', xyzType(RED)],
    ['gXYZ', xyzType(GREEN)],
    ['bXYZ', xyzType(BLUE)],
    ['rTRC', trc],
    ['gTRC', trc],
    ['bTRC', trc],
  ];
  const tableSize = 4 + 12 * tags.length;
  const table = Buffer.alloc(tableSize);
  table.writeUInt32BE(tags.length, 0);
  const bodies: Buffer[] = [];
  const placed = new Map<Buffer, number>();
  let offset = 128 + tableSize;
  tags.forEach(([sig, data], i) => {
    // The three tone curves are one element, shared by offset as ICC.1 allows.
    let at = placed.get(data);
    if (at === undefined) {
      at = offset;
      placed.set(data, at);
      const body = padded(data);
      bodies.push(body);
      offset += body.length;
    }
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(at, 8 + 12 * i);
    table.writeUInt32BE(data.length, 12 + 12 * i);
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(offset, 0);
  header.writeUInt32BE(0x02100000, 8);
  header.write('mntrRGB XYZ ', 12, 'latin1');
  // Creation date 2026-12-07 00:00:00 (year, month, day, hours, minutes, seconds as uint16).
  [2026, 12, 7, 0, 0, 0].forEach((v, i) => header.writeUInt16BE(v, 24 + 2 * i));
  header.write('acsp', 36, 'latin1');
  D50.forEach((v, i) => s15Fixed16(v).copy(header, 68 + 4 * i));
  return Buffer.concat([header, table, ...bodies]);
}
