/**
 * Verifying a document payload: pure, synchronous, no I/O. The caller brings a trust list it has
 * verified (verifyTrustList), optionally status lists it has verified (verifyStatusList), and the time.
 * The steps and their codes are in verdict.ts, shared with the browser's verifier (web-verify.ts);
 * here they run over node:zlib and node:crypto.
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { okpPublicKey } from './cose.ts';
import { parsePayload } from './payload.ts';
import { badSignature, judgeSigned, openDocument, type Verdict, type VerifyContext } from './verdict.ts';

export type { Issuer, Verdict, VerdictCode, VerifyContext } from './verdict.ts';

/** KeyObjects per public key (base64url): parsing one costs more than the verification. */
const keyObjects = new Map<string, KeyObject>();

function keyObjectOf(publicKey: string): KeyObject {
  let key = keyObjects.get(publicKey);
  if (!key) {
    key = okpPublicKey(Buffer.from(publicKey, 'base64url'));
    keyObjects.set(publicKey, key);
  }
  return key;
}

export function verifyDocument(payload: string, ctx: VerifyContext): Verdict {
  const parsed = parsePayload(payload);
  if (!parsed.ok) return { valid: false, code: parsed.code, message: parsed.message };
  const o = openDocument(parsed.cose, ctx.trustList);
  if (!o.ok) return o.verdict;
  if (!cryptoVerify(null, o.opened.signed, keyObjectOf(o.opened.key.entry.publicKey), o.opened.signature)) return badSignature(o.opened);
  return judgeSigned(o.opened, ctx);
}
