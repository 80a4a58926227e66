/**
 * Revocation status lists: one bit per document, 1 = revoked.
 *
 * Each issuing department has one list; a document's claims carry its `statusIndex` in its
 * department's list. Bit i is bit (i mod 8), least significant first, of byte ⌊i/8⌋ (the IETF Token
 * Status List order). On the wire the bytes are zlib-compressed and base64url-encoded inside a JSON
 * body signed by one of the department's keys from the trust list:
 *
 *   { "statusList": { "type": "mitra-status-list", "version": 1, "issuer": "REV01",
 *                     "issuedAt": "…", "size": 131072, "bits": "<base64url(zlib(bytes))>" },
 *     "signature": { "alg": "EdDSA", "kid": "<department key>", "sig": "…" } }
 *
 * A list of 131,072 documents with a few revoked is a few hundred bytes; 1 M with 0.1 % revoked about
 * 2 KB. Lists are small, cacheable and the same for every verifier, so fetching one reveals nothing
 * about which document is being checked.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { kidOf, privateKeyOf, publicKeyOf, type DepartmentKey, type TrustList } from './keys.ts';
import { checkJsonSignature, signJson } from './signed-json.ts';
import { statusListAccepted, statusListBadBits, statusListBadSignature, statusListSigner, type SignedStatusList, type StatusList, type StatusListBody, type StatusListVerified } from './status-bits.ts';

export {
  isRevoked,
  MAX_STATUS_LIST_SIZE,
  MIN_STATUS_LIST_SIZE,
  newStatusList,
  setRevoked,
  type SignedStatusList,
  type StatusList,
  type StatusListBody,
  type StatusListVerified,
} from './status-bits.ts';

/** Signs the list as it is now, stamped `issuedAt`, with a key of its department. */
export function signStatusList(list: StatusList, signer: DepartmentKey, issuedAt: Date): SignedStatusList {
  if (signer.department !== list.issuer) throw new TypeError(`a ${signer.department} key cannot sign ${list.issuer}'s status list`);
  const body: StatusListBody = {
    type: 'mitra-status-list',
    version: 1,
    issuer: list.issuer,
    issuedAt: issuedAt.toISOString(),
    size: list.bits.length * 8,
    bits: deflateSync(list.bits, { level: 9 }).toString('base64url'),
  };
  return { statusList: body, signature: signJson(body, signer.kid, privateKeyOf(signer)) };
}

/**
 * Checks a status list (parsed JSON) against a verified trust list: signed by a key of the list's own
 * department that was not revoked and whose window holds the list's issuedAt.
 */
export function verifyStatusList(input: unknown, trustList: TrustList): StatusListVerified {
  const signer = statusListSigner(input, trustList);
  if (!signer.ok) return signer;
  const { body, signature, key } = signer;
  if (kidOf(Buffer.from(key.publicKey, 'base64url')) !== signature.kid || !checkJsonSignature(body, signature, publicKeyOf(key))) return statusListBadSignature();
  let bits: Uint8Array;
  try {
    bits = new Uint8Array(inflateSync(Buffer.from(body.bits, 'base64url'), { maxOutputLength: body.size / 8 }));
  } catch {
    return statusListBadBits();
  }
  return statusListAccepted(body, bits);
}
