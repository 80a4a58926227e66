// The pure half of signed JSON (see signed-json.ts): the canonical bytes a signature covers and the
// envelope's shape. No Node modules, so a browser checks the trust and status lists with the same code.

export interface JsonSignature {
  alg: 'EdDSA';
  /** The signer's key id (hex). */
  kid: string;
  /** Ed25519 signature over the canonical JSON of the body, base64url. */
  sig: string;
}

/** Canonical JSON (RFC 8785) of plain data: objects, arrays, strings, finite numbers, booleans, null. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof v}`);
}

/** Reads `{ [name]: object, signature: JsonSignature }`; a string saying what is wrong otherwise. */
export function readEnvelope(input: unknown, name: string): { body: Record<string, unknown>; signature: JsonSignature } | string {
  if (!isObject(input)) return 'not a JSON object';
  const body = input[name];
  const s = input.signature;
  if (!isObject(body)) return `"${name}" is missing or not an object`;
  if (!isObject(s) || s.alg !== 'EdDSA' || typeof s.kid !== 'string' || typeof s.sig !== 'string') return '"signature" must be {alg: "EdDSA", kid, sig}';
  return { body, signature: { alg: 'EdDSA', kid: s.kid, sig: s.sig } };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An ISO 8601 date-time string that parses; its epoch milliseconds, or NaN. */
export function isoMillis(v: unknown): number {
  return typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v) ? Date.parse(v) : NaN;
}
