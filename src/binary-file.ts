/**
 * The layout of the binary caches (`history.bin`, `bank-*.idx`): a magic number and the length
 * of a JSON header (u32 little-endian each), the header, then sections of bytes, each starting
 * on an 8-byte boundary so that typed arrays can view them in place, never copied or parsed.
 * The header is written as ASCII (anything else as a JSON \u escape) and read as latin1, which
 * copies bytes into a string without decoding UTF-8. The last 8 bytes are a CRC-32 of all the
 * bytes before them (and 4 zero bytes): a file cut short or with a flipped byte is not read.
 */
import * as zlib from 'node:zlib';
import { asciiJson } from './cache-files.js';

let table: Uint32Array | undefined;

/** CRC-32 (zlib's): Node's own from 20.15 on, else a table-driven one. */
export function crc32(bytes: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (typeof native === 'function') return native(bytes) >>> 0;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (table[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const TRAILER = 8;

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

export function packSections(magic: number, header: unknown, sections: readonly ArrayBufferView[]): Buffer {
  const json = Buffer.from(asciiJson(header), 'latin1');
  const start = pad8(8 + json.length);
  const body = start + sections.reduce((sum, s) => sum + pad8(s.byteLength), 0);
  const out = Buffer.alloc(body + TRAILER);
  out.writeUInt32LE(magic, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let offset = start;
  for (const s of sections) {
    Buffer.from(s.buffer, s.byteOffset, s.byteLength).copy(out, offset);
    offset += pad8(s.byteLength);
  }
  out.writeUInt32LE(crc32(out.subarray(0, body)), body);
  return out;
}

export interface Sections {
  header: unknown;
  /** The next section: `count` items of `size` bytes, made into a view by `make`. */
  take<T>(make: (buffer: ArrayBuffer, at: number, count: number) => T, count: number, size: number): T;
  /** The next section as bytes. */
  bytes(size: number): Buffer;
  /** Whether every byte has been taken (a file with more is not one of ours). */
  atEnd(): boolean;
}

/**
 * Reads what `packSections` wrote, section by section. Undefined for another magic number, a
 * checksum that does not match or a header that does not parse; `take` and `bytes` throw a
 * RangeError past the end.
 */
export function openSections(file: Buffer, magic: number): Sections | undefined {
  if (file.length < 8 + TRAILER || file.readUInt32LE(0) !== magic) return undefined;
  const body = file.length - TRAILER;
  if (file.readUInt32LE(body + 4) !== 0 || file.readUInt32LE(body) !== crc32(file.subarray(0, body))) return undefined;
  const bytes = file.subarray(0, body);
  const length = bytes.readUInt32LE(4);
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('latin1', 8, 8 + length));
  } catch {
    return undefined;
  }
  // Typed arrays need aligned offsets: the bytes are used in place when they are, else copied.
  const buffer = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let offset = pad8(8 + length);
  const next = (size: number): number => {
    if (!(Number.isInteger(size) && size >= 0) || offset + size > buffer.length) throw new RangeError('short binary file');
    const at = offset;
    offset += pad8(size);
    return at;
  };
  return {
    header,
    take: (make, count, size) => make(buffer.buffer as ArrayBuffer, buffer.byteOffset + next(count * size), count),
    bytes: (size) => {
      const at = next(size);
      return buffer.subarray(at, at + size);
    },
    atEnd: () => offset === buffer.length,
  };
}
