/**
 * The verifier over Web Crypto (Ed25519, SHA-256) and DecompressionStream (zlib) instead of
 * node:crypto and node:zlib: what the verify page runs in the browser, so a paper can be checked with
 * the network off. It runs the same steps as verifyDocument, verifyTrustList and verifyStatusList
 * (verdict.ts, trust-list.ts, status-bits.ts), only asynchronously, and gives the same answers.
 * Browsers with Ed25519 in Web Crypto: Chrome and Edge 137+, Firefox 129+, Safari 17+. Node ≥ 20 has
 * it too, which is how the tests hold it to the Node verifier's answers.
 */
import { fromBase64url, hexOf } from './bytes-text.ts';
import { canonicalJson, isObject, type JsonSignature } from './canonical-json.ts';
import { coseOf, MAX_COSE_BYTES, payloadBytes, ZLIB_DAMAGED } from './payload-text.ts';
import { statusListAccepted, statusListBadBits, statusListBadSignature, statusListSigner, type StatusListVerified } from './status-bits.ts';
import { PUBLIC_KEY_TEXT, trustListAccepted, trustListBadSignature, trustListSigner, type KidOf, type TrustList, type TrustListVerified } from './trust-list.ts';
import { badSignature, judgeSigned, openDocument, type Verdict, type VerifyContext } from './verdict.ts';

const ED25519 = { name: 'Ed25519' } as const;
const utf8 = new TextEncoder();

/** Imported keys per public key (base64url); a failed import is remembered as undefined. */
const cryptoKeys = new Map<string, Promise<CryptoKey | undefined>>();

function cryptoKeyOf(publicKey: string): Promise<CryptoKey | undefined> {
  let key = cryptoKeys.get(publicKey);
  if (!key) {
    const raw = fromBase64url(publicKey);
    key = raw?.length === 32 ? crypto.subtle.importKey('raw', new Uint8Array(raw), ED25519, false, ['verify']).catch(() => undefined) : Promise.resolve(undefined);
    cryptoKeys.set(publicKey, key);
  }
  return key;
}

async function ed25519Verifies(publicKey: string, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const key = await cryptoKeyOf(publicKey);
  if (!key || signature.length !== 64) return false;
  try {
    // Copies: Web Crypto's types want bytes over a plain ArrayBuffer, and these are views into the payload.
    return await crypto.subtle.verify(ED25519, key, new Uint8Array(signature), new Uint8Array(data));
  } catch {
    return false;
  }
}

const jsonSignatureHolds = (body: unknown, signature: JsonSignature, publicKey: string) =>
  ed25519Verifies(publicKey, fromBase64url(signature.sig) ?? new Uint8Array(0), utf8.encode(canonicalJson(body)));

/** kid of a raw public key in base64url: the first 8 bytes of its SHA-256, hex. */
export async function kidOfWeb(publicKey: string): Promise<string | undefined> {
  const raw = fromBase64url(publicKey);
  if (!raw) return undefined;
  return hexOf(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(raw))).subarray(0, 8));
}

/** The kids of these public keys, hashed now, for the synchronous rules to look up. */
async function kidsOf(publicKeys: Iterable<string>): Promise<KidOf> {
  const kids = new Map<string, string | undefined>();
  for (const k of publicKeys) if (!kids.has(k)) kids.set(k, await kidOfWeb(k));
  return (publicKey) => kids.get(publicKey);
}

/**
 * zlib (RFC 1950) inflated by DecompressionStream('deflate'), or undefined when damaged, truncated,
 * larger than `max`, or followed by anything: Chromium refuses trailing bytes, other engines (and
 * Node) ignore them, so a stream that still inflates without its last byte had one too many.
 */
export async function inflateWeb(bytes: Uint8Array, max: number): Promise<Uint8Array | undefined> {
  const whole = await inflateOnce(bytes, max);
  if (!whole || bytes.length < 2) return whole;
  return (await inflateOnce(bytes.subarray(0, bytes.length - 1), max)) ? undefined : whole;
}

async function inflateOnce(bytes: Uint8Array, max: number): Promise<Uint8Array | undefined> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  writer.write(new Uint8Array(bytes)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > max) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** verifyDocument, over Web Crypto. */
export async function verifyDocumentWeb(payload: string, ctx: VerifyContext): Promise<Verdict> {
  const read = payloadBytes(payload);
  if (!read.ok) return { valid: false, code: read.code, message: read.message };
  let bytes: Uint8Array | undefined = read.bytes;
  if (read.zipped) {
    bytes = await inflateWeb(read.bytes, MAX_COSE_BYTES);
    if (!bytes) return { valid: false, code: ZLIB_DAMAGED.code, message: ZLIB_DAMAGED.message };
  }
  const parsed = coseOf(bytes, read.form);
  if (!parsed.ok) return { valid: false, code: parsed.code, message: parsed.message };
  const o = openDocument(parsed.cose, ctx.trustList);
  if (!o.ok) return o.verdict;
  if (!(await ed25519Verifies(o.opened.key.entry.publicKey, o.opened.signature, o.opened.signed))) return badSignature(o.opened);
  return judgeSigned(o.opened, ctx);
}

/** verifyTrustList, over Web Crypto. */
export async function verifyTrustListWeb(input: unknown, rootPublicKeys: string | readonly string[], opts: { minSerial?: number } = {}): Promise<TrustListVerified> {
  const roots = typeof rootPublicKeys === 'string' ? [rootPublicKeys] : rootPublicKeys;
  const listed = isObject(input) && isObject(input.trustList) && Array.isArray(input.trustList.keys) ? input.trustList.keys : [];
  const published = listed.flatMap((k: unknown) => (isObject(k) && typeof k.publicKey === 'string' && PUBLIC_KEY_TEXT.test(k.publicKey) ? [k.publicKey] : []));
  const kidOf = await kidsOf([...roots, ...published]);
  const signer = trustListSigner(input, roots, kidOf);
  if (!signer.ok) return signer;
  if (!(await jsonSignatureHolds(signer.body, signer.signature, signer.root))) return trustListBadSignature();
  return trustListAccepted(signer.body, kidOf, opts);
}

/** verifyStatusList, over Web Crypto and DecompressionStream. */
export async function verifyStatusListWeb(input: unknown, trustList: TrustList): Promise<StatusListVerified> {
  const signer = statusListSigner(input, trustList);
  if (!signer.ok) return signer;
  const { body, signature, key } = signer;
  if ((await kidOfWeb(key.publicKey)) !== signature.kid || !(await jsonSignatureHolds(body, signature, key.publicKey))) return statusListBadSignature();
  const zipped = fromBase64url(body.bits);
  const bits = zipped && (await inflateOnce(zipped, body.size / 8));
  if (!bits) return statusListBadBits();
  return statusListAccepted(body, bits);
}
