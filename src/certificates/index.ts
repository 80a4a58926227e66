// Certificates: what an approved application issues, kept and served. The signed format and its
// verification live in ../documents (pure); this domain holds the database side: keys sealed at rest,
// certificates and their numbers, revocation, the trust and status lists, the verify page.
export { certificateContents, type Bilingual, type Contents, type Printed } from './contents.ts';
export { issueCertificate, signWaitingCertificates, type IssueDeps, type IssuedCertificate } from './issue.ts';
export { addDepartmentKey, departmentKeys, latestTrustList, publishTrustList, revokeDepartmentKey, signingKeyOf, type KeyRevoked, type SigningKey } from './keystore.ts';
export { certificateByToken, certificateFilename, certificateLink, certificateOfCase, type CertificateRecord } from './records.ts';
export { revokeCertificate, type Revocation } from './revoke.ts';
export { signedStatusListOf, statusListOf } from './status.ts';
export { checkCertificate, type CheckedCertificate } from './check.ts';
export { certificateRoutes, type CertificateRoutesOptions } from './http.ts';
export { ensureDemoKeys, rootKeyOf } from './demo-keys.ts';
export { pinnedRootKey } from './root-key.ts';
export { VERDICT_WORDS } from './verdict-words.ts';
export { certificatePdf } from './pdf.ts';
export { certificateLedgerProof } from './ledger-proof.ts';
export { createPhotoChecker, requestPhotoCheck, type PhotoCheckOutcome, type PhotoCheckRequest, type PhotoCheckerOptions } from './photo-check.ts';
