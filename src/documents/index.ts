// Documents: signed QR payloads (MT1), keys and the trust list, status lists, verification, and
// the certificate PDF. Public surface. Nothing here touches the server (no db, channel or app):
// another app can embed verifyDocument with only node:crypto and node:zlib (the PDF renderer loads
// pdfkit, and the PDF reader pdf.js, only when first called). The format is described in docs/documents.md.
// A browser imports web-verify.ts directly: it and the files it imports use no Node module.
export { verifyDocument, type Verdict, type VerdictCode, type VerifyContext, type Issuer } from './verify.ts';
export { verifyDocumentWeb, verifyTrustListWeb, verifyStatusListWeb } from './web-verify.ts';
export { signDocument, verifyUrl, parsePayload, FORMAT_PREFIX, VERIFY_PATH, MAX_COSE_BYTES, type Signed, type Parsed } from './payload.ts';
export { claimsProblem, encodeClaims, decodeClaims, type DocumentClaims } from './claims.ts';
export {
  generateKeyPair,
  keyPairFromSeed,
  privateKeyOf,
  publicKeyOf,
  newDepartmentKey,
  rotateKey,
  revokeKey,
  signingKeyFor,
  trustListOf,
  signTrustList,
  verifyTrustList,
  kidOf,
  DEFAULT_KEY_DAYS,
  type KeyPair,
  type KeyStatus,
  type DepartmentKey,
  type TrustedKey,
  type TrustList,
  type SignedTrustList,
  type TrustListVerified,
  type Revoked,
} from './keys.ts';
export {
  newStatusList,
  isRevoked,
  setRevoked,
  signStatusList,
  verifyStatusList,
  MIN_STATUS_LIST_SIZE,
  type StatusList,
  type SignedStatusList,
  type StatusListVerified,
} from './status-list.ts';
export { encodeBase45, decodeBase45, encodeBase41, decodeBase41 } from './base45.ts';
export { readQrCode, type QrRead } from './qr-image.ts';
export { readQrCodeFromPdf, openPdf, PdfError, type PdfQrRead, type OpenPdf, type PageImage } from './pdf-image.ts';
export { renderCertificatePdf, type CertificateInput, type CertificateField, type Bilingual, type Lang } from './pdf/certificate.ts';
