/**
 * The small part of CBOR (RFC 8949) that COSE and Mitra's claims need, written here rather than taken
 * from cbor-x: decoding is strict (the input is untrusted QR content), maps keep integer keys (cbor-x
 * turns them into string-keyed objects by default, a known COSE trap), encoding is deterministic
 * (RFC 8949 §4.2.1: shortest heads, map keys sorted by their encoded bytes), and there is no native
 * addon to install.
 *
 * Supported: unsigned and negative integers within ±2^53, byte strings, UTF-8 text strings, arrays,
 * maps, tags, false, true and null. Refused when decoding: indefinite lengths, floats, other simple
 * values, integers beyond the safe range, non-shortest heads, duplicate map keys, invalid UTF-8,
 * nesting deeper than 16, trailing bytes.
 */

export type CborKey = number | string;
export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | CborMap | Tagged;
export type CborMap = Map<CborKey, CborValue>;

export class Tagged {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

export type CborDecoded = { ok: true; value: CborValue } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------- encode

const utf8 = new TextEncoder();

class Writer {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number) {
    this.room(1);
    this.buf[this.length++] = b;
  }
  bytes(b: Uint8Array) {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  head(major: number, n: number) {
    const m = major << 5;
    if (n < 24) this.byte(m | n);
    else if (n < 0x100) {
      this.byte(m | 24);
      this.byte(n);
    } else if (n < 0x10000) {
      this.byte(m | 25);
      this.byte(n >> 8);
      this.byte(n & 0xff);
    } else if (n < 0x100000000) {
      this.byte(m | 26);
      this.byte(n >>> 24);
      this.byte((n >> 16) & 0xff);
      this.byte((n >> 8) & 0xff);
      this.byte(n & 0xff);
    } else {
      this.byte(m | 27);
      const hi = Math.floor(n / 0x100000000);
      const lo = n >>> 0;
      for (const w of [hi, lo]) for (let s = 24; s >= 0; s -= 8) this.byte((w >>> s) & 0xff);
    }
  }
  done() {
    return this.buf.slice(0, this.length);
  }
}

function write(w: Writer, v: CborValue): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new TypeError(`CBOR: only safe integers are encoded, not ${v}`);
    if (v >= 0) w.head(0, v);
    else w.head(1, -1 - v);
  } else if (typeof v === 'string') {
    const b = utf8.encode(v);
    w.head(3, b.length);
    w.bytes(b);
  } else if (v instanceof Uint8Array) {
    w.head(2, v.length);
    w.bytes(v);
  } else if (Array.isArray(v)) {
    w.head(4, v.length);
    for (const item of v) write(w, item);
  } else if (v instanceof Map) {
    const entries = [...v].map(([k, val]) => [encodeCbor(k), val] as const);
    entries.sort((a, b) => compareBytes(a[0], b[0]));
    w.head(5, entries.length);
    for (let i = 0; i < entries.length; i++) {
      if (i > 0 && compareBytes(entries[i - 1]![0], entries[i]![0]) === 0) throw new TypeError('CBOR: duplicate map key');
      w.bytes(entries[i]![0]);
      write(w, entries[i]![1]);
    }
  } else if (v instanceof Tagged) {
    w.head(6, v.tag);
    write(w, v.value);
  } else if (v === false) w.byte(0xf4);
  else if (v === true) w.byte(0xf5);
  else if (v === null) w.byte(0xf6);
  else throw new TypeError(`CBOR: cannot encode ${typeof v}`);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Deterministic encoding (RFC 8949 §4.2.1). Throws only on values outside CborValue (a bug). */
export function encodeCbor(v: CborValue): Uint8Array {
  const w = new Writer();
  write(w, v);
  return w.done();
}

// ---------------------------------------------------------------------------------------------- decode

class CborError extends Error {}
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_DEPTH = 16;

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}

  fail(why: string): never {
    throw new CborError(`CBOR: ${why} at byte ${this.pos}`);
  }
  need(n: number) {
    if (this.pos + n > this.b.length) this.fail(`truncated: ${n} more byte(s) needed`);
  }
  /** Reads an item head; returns [major, argument]. */
  head(): [number, number] {
    this.need(1);
    const ib = this.b[this.pos++]!;
    const major = ib >> 5;
    const ai = ib & 0x1f;
    if (ai < 24) return [major, ai];
    const b = this.b;
    let n: number;
    let min: number;
    if (ai === 24) {
      this.need(1);
      n = b[this.pos++]!;
      min = 24;
    } else if (ai === 25) {
      this.need(2);
      n = (b[this.pos]! << 8) | b[this.pos + 1]!;
      this.pos += 2;
      min = 0x100;
    } else if (ai === 26) {
      this.need(4);
      n = ((b[this.pos]! << 24) >>> 0) + (b[this.pos + 1]! << 16) + (b[this.pos + 2]! << 8) + b[this.pos + 3]!;
      this.pos += 4;
      min = 0x10000;
    } else if (ai === 27) {
      this.need(8);
      const hi = ((b[this.pos]! << 24) >>> 0) + (b[this.pos + 1]! << 16) + (b[this.pos + 2]! << 8) + b[this.pos + 3]!;
      const lo = ((b[this.pos + 4]! << 24) >>> 0) + (b[this.pos + 5]! << 16) + (b[this.pos + 6]! << 8) + b[this.pos + 7]!;
      if (hi > 0x1fffff) this.fail('integer beyond 2^53');
      n = hi * 0x100000000 + lo;
      this.pos += 8;
      min = 0x100000000;
    } else {
      this.pos--;
      return this.fail(ai === 31 ? 'indefinite length' : `reserved additional information ${ai}`);
    }
    if (major !== 7 && n < min) {
      this.pos--;
      this.fail('non-shortest integer head');
    }
    return [major, n];
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    const start = this.pos;
    const ib = this.b[this.pos];
    if (ib !== undefined && ib >> 5 === 7) {
      this.pos++;
      if (ib === 0xf4) return false;
      if (ib === 0xf5) return true;
      if (ib === 0xf6) return null;
      this.pos = start;
      this.fail(ib >= 0xf9 && ib <= 0xfb ? 'floats are not accepted' : `simple value 0x${ib.toString(16)} is not accepted`);
    }
    const [major, n] = this.head();
    switch (major) {
      case 0:
        return n;
      case 1:
        if (n >= Number.MAX_SAFE_INTEGER) this.fail('integer beyond -2^53');
        return -1 - n;
      case 2:
        this.need(n);
        return this.b.subarray(this.pos, (this.pos += n));
      case 3: {
        this.need(n);
        const s = this.b.subarray(this.pos, this.pos + n);
        let text: string;
        try {
          text = ascii(s) ?? strictUtf8.decode(s);
        } catch {
          return this.fail('invalid UTF-8 in a text string');
        }
        this.pos += n;
        return text;
      }
      case 4: {
        if (n > this.b.length - this.pos) this.fail(`array of ${n} items is longer than the input`);
        const a: CborValue[] = new Array(n);
        for (let i = 0; i < n; i++) a[i] = this.item(depth + 1);
        return a;
      }
      case 5: {
        if (n * 2 > this.b.length - this.pos) this.fail(`map of ${n} entries is longer than the input`);
        const m: CborMap = new Map();
        for (let i = 0; i < n; i++) {
          const at = this.pos;
          const k = this.item(depth + 1);
          if (typeof k !== 'number' && typeof k !== 'string') {
            this.pos = at;
            this.fail('map keys must be integers or text');
          }
          if (m.has(k)) {
            this.pos = at;
            this.fail(`duplicate map key ${JSON.stringify(k)}`);
          }
          m.set(k, this.item(depth + 1));
        }
        return m;
      }
      case 6:
        return new Tagged(n, this.item(depth + 1));
      default:
        return this.fail(`unexpected major type ${major}`);
    }
  }
}

/**
 * Very short ASCII strings (map keys such as "fn", "dob") without a TextDecoder call; undefined when
 * longer or not plain ASCII. Past ~16 bytes, building the string a character at a time costs more than
 * the TextDecoder call (measured on the income certificate's claims).
 */
function ascii(s: Uint8Array): string | undefined {
  if (s.length > 16) return undefined;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c > 0x7f) return undefined;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Decodes exactly one item filling all of `bytes`. Byte strings in the result are views into `bytes`. */
export function decodeCbor(bytes: Uint8Array): CborDecoded {
  const r = new Reader(bytes);
  try {
    const value = r.item(0);
    if (r.pos !== bytes.length) r.fail(`${bytes.length - r.pos} trailing byte(s)`);
    return { ok: true, value };
  } catch (err) {
    if (err instanceof CborError) return { ok: false, reason: err.message };
    throw err;
  }
}

export const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
