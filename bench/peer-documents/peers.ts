// The peers the documents bench (bench/documents.ts) measures beside Mitra's MT1, each issued and
// verified with its own real npm package, offline, on the same income certificate:
//
//   divoc  a W3C Verifiable Credential as DIVOC (India's CoWIN certificates) issues it: credentials/v1
//          JSON-LD, an Ed25519Signature2018 proof (@digitalbazaar/vc, jsonld-signatures), the JSON
//          zipped into a ZIP holding certificate.json (JSZip, DEFLATE), the ZIP in the QR code.
//   dcc    an EU-DCC-style CWT: COSE_Sign1 ES256, zlib, Base45, "HC1:" (@pathcheck/dcc-sdk).
//   oa     an OpenAttestation v2 document (@govtechsg/open-attestation): wrapDocument (salted
//          fields, keccak256 target hash, Merkle root), signed with an Ethereum key over the Merkle
//          root as OA's DID method does (ethers Wallet.signMessage, did:ethr).
//
// Installed apart from Mitra's dependencies: npm --prefix bench/peer-documents install
// The packages are loaded at run time by name (resolved from this folder's node_modules), so `tsc`
// and CI need not have them installed. Nothing here reaches the network: JSON-LD contexts come from
// the context packages through a document loader that refuses every other URL, and the DCC trust
// registry is filled with the bench's own key before the first verification (otherwise dcc-sdk
// fetches PathCheck's registry from GitHub).
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { DocumentClaims } from '../../src/documents/index.ts';

/** One way of carrying the certificate in a QR code. */
export interface Carrier {
  /** What the QR code holds: text (qrcode picks the segments) or bytes (one byte segment). */
  qr: string | Uint8Array;
  /** Verifies `qr` from scratch (decode, unpack, check the signature): true when genuine. Absent for a code that holds only a link. */
  verify?: () => boolean | Promise<boolean>;
  /** Verifies a copy with one claim changed (the holder's name): must be false. */
  verifyTampered?: () => boolean | Promise<boolean>;
  /** A line on what is measured and what is left out. */
  note: string;
}

export interface Peer {
  name: string;
  packages: string;
  carriers: Record<string, Carrier>;
  /** Public keys, for reference measures outside the package. */
  keys?: { es256?: KeyObject };
}

// ---------------------------------------------------------------------------------------------
// Loading the packages

// Bare specifiers resolve from this file's folder, so from bench/peer-documents/node_modules.
const load = (name: string): Promise<any> => import(name);

/** True when `npm --prefix bench/peer-documents install` has been run. */
export async function installed(): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  return ['@digitalbazaar/vc', '@pathcheck/dcc-sdk', '@govtechsg/open-attestation', 'jszip'].every((p) =>
    existsSync(new URL(`./node_modules/${p}/package.json`, import.meta.url)),
  );
}

const TAMPER_FROM = 'Narasimha';
const TAMPER_TO = 'Narasimhu';
/** The same claim changed in each format: one letter of the holder's name. */
function tamperText(s: string): string {
  if (!s.includes(TAMPER_FROM)) throw new Error('tamper: the holder name is not in the document');
  return s.replace(TAMPER_FROM, TAMPER_TO);
}
function tamperBytes(b: Uint8Array): Uint8Array {
  const from = Buffer.from(TAMPER_FROM);
  const at = Buffer.from(b).indexOf(from);
  if (at < 0) throw new Error('tamper: the holder name is not in the document');
  const out = new Uint8Array(b);
  out.set(Buffer.from(TAMPER_TO), at);
  return out;
}

/** Bytes that look random but are the same on every run (sizes must not move between runs). */
const fixedBytes = (label: string, n: number) => new Uint8Array(createHash('sha512').update(label).digest().subarray(0, n));
/** A UUIDv4-shaped id from fixedBytes. */
function fixedUuid(label: string): string {
  const b = fixedBytes(label, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const withoutContext = ({ '@context': _, ...rest }: Record<string, unknown>) => rest;
const isoSeconds = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
const field = (c: DocumentClaims, k: string) => {
  const v = c.fields[k];
  if (v === undefined) throw new Error(`the certificate has no field ${k}`);
  return v;
};
/** 'D.No. 4-12-7, Gandhi Nagar, Tenali, Guntur District, Andhra Pradesh 522201' → parts, as a structured address. */
function addressParts(address: string) {
  const m = /^(.*), ([^,]+), ([^,]+) District, ([^,]+) (\d{6})$/.exec(address);
  if (!m) throw new Error(`unexpected address ${address}`);
  return { streetAddress: m[1]!, city: m[2]!, district: m[3]!, addressRegion: m[4]!, postalCode: m[5]! };
}

// ---------------------------------------------------------------------------------------------
// DIVOC: W3C VC (credentials/v1) with an Ed25519Signature2018 proof, zipped into the QR

const ISSUER_DID = 'did:web:revenue.ap.gov.in';
const KEY_ID = `${ISSUER_DID}#key-1`;
const INCOME_CONTEXT_URL = 'https://revenue.ap.gov.in/credentials/income/v1';
/** The certificate's own JSON-LD context, as DIVOC ships one per certificate kind (vaccination-context). */
const INCOME_CONTEXT = {
  '@context': {
    '@version': 1.1,
    '@protected': true,
    schema: 'https://schema.org/',
    ap: 'https://revenue.ap.gov.in/credentials/income#',
    IncomeCertificate: 'ap:IncomeCertificate',
    IncomeAssessment: 'ap:IncomeAssessment',
    Person: 'schema:Person',
    name: 'schema:name',
    fatherName: 'ap:fatherName',
    dob: 'schema:birthDate',
    address: {
      '@id': 'schema:address',
      '@context': {
        streetAddress: 'schema:streetAddress',
        city: 'schema:addressLocality',
        district: 'ap:district',
        addressRegion: 'schema:addressRegion',
        postalCode: 'schema:postalCode',
        addressCountry: 'schema:addressCountry',
      },
    },
    certificateId: 'ap:certificateId',
    documentType: 'ap:documentType',
    annualIncome: 'ap:annualIncome',
    financialYear: 'ap:financialYear',
    purpose: 'ap:purpose',
    issuingOffice: 'ap:issuingOffice',
    statusIndex: 'ap:statusIndex',
    nonTransferable: 'ap:nonTransferable',
  },
};

/** The income certificate as DIVOC's transformW3 shapes a certificate: subject, evidence, issuer, dates. */
function divocCredential(c: DocumentClaims) {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', INCOME_CONTEXT_URL],
    type: ['VerifiableCredential', 'IncomeCertificate'],
    credentialSubject: {
      type: 'Person',
      name: c.holderName,
      fatherName: field(c, 'fn'),
      dob: field(c, 'dob'),
      address: { ...addressParts(String(field(c, 'addr'))), addressCountry: 'IN' },
    },
    issuer: ISSUER_DID,
    issuanceDate: isoSeconds(c.issuedAt),
    ...(c.expiresAt !== undefined ? { expirationDate: isoSeconds(c.expiresAt) } : {}),
    evidence: [
      {
        type: ['IncomeAssessment'],
        certificateId: c.documentNumber,
        documentType: c.documentType,
        annualIncome: field(c, 'inc'),
        financialYear: field(c, 'yr'),
        purpose: field(c, 'pur'),
        issuingOffice: field(c, 'off'),
        statusIndex: c.statusIndex,
      },
    ],
    nonTransferable: 'true',
  };
}

export async function divoc(c: DocumentClaims, now: Date): Promise<Peer> {
  const vc = await load('@digitalbazaar/vc');
  const { Ed25519Signature2018 } = await load('@digitalbazaar/ed25519-signature-2018');
  const { Ed25519VerificationKey2018 } = await load('@digitalbazaar/ed25519-verification-key-2018');
  const credentialsContext = await load('@digitalbazaar/credentials-context');
  const ed2018Context = (await load('ed25519-signature-2018-context')).default;
  const didContext = (await load('did-context')).default;
  const JSZip = (await load('jszip')).default;

  // Fixed keys, salts and dates, so the sizes are the same on every run (the DCC's ECDSA signature alone is random).
  const key = await Ed25519VerificationKey2018.generate({ id: KEY_ID, controller: ISSUER_DID, seed: fixedBytes('divoc key', 32) });
  const publicKeyDoc = key.export({ publicKey: true, includeContext: true });
  // The issuer's DID document: what a verifier resolves (here from memory, as DIVOC's verifier app
  // has its key built in).
  const didDocument = {
    '@context': [didContext.constants.DID_CONTEXT_URL, ed2018Context.constants.CONTEXT_URL],
    id: ISSUER_DID,
    verificationMethod: [withoutContext(publicKeyDoc)],
    assertionMethod: [KEY_ID],
  };
  const documents = new Map<string, unknown>([
    ...(credentialsContext.contexts as Map<string, unknown>),
    ...(ed2018Context.contexts as Map<string, unknown>),
    ...(didContext.contexts as Map<string, unknown>),
    [INCOME_CONTEXT_URL, INCOME_CONTEXT],
    [ISSUER_DID, didDocument],
    [KEY_ID, publicKeyDoc],
  ]);
  // Offline: every URL the signature needs is here; anything else is refused.
  const documentLoader = async (url: string) => {
    const document = documents.get(url);
    if (document === undefined) throw new Error(`documentLoader: ${url} is not available offline`);
    return { contextUrl: null, documentUrl: url, document };
  };

  const signed = await vc.issue({ credential: divocCredential(c), suite: new Ed25519Signature2018({ key, date: new Date(c.issuedAt * 1000) }), documentLoader });
  const json = JSON.stringify(signed);

  // DIVOC's certificate API: zip.file("certificate.json", json, {compression: "DEFLATE"}),
  // generateAsync({type: "string", compression: "DEFLATE"}), then QRCode.toDataURL(thatString).
  const zipString = async (text: string): Promise<string> => {
    const zip = new JSZip();
    zip.file('certificate.json', text, { compression: 'DEFLATE' });
    return zip.generateAsync({ type: 'string', compression: 'DEFLATE' });
  };
  const zipped = await zipString(json);
  const zipBytes = Uint8Array.from(zipped, (ch) => ch.charCodeAt(0));
  const tamperedZip = await zipString(tamperText(json));

  // A verifier with the issuer's public key built in (as DIVOC's verification app has it).
  const verifierKey = await Ed25519VerificationKey2018.from(publicKeyDoc);
  const verifyZip = async (scanned: string | Uint8Array): Promise<boolean> => {
    const zip = await JSZip.loadAsync(scanned);
    const file = zip.file('certificate.json');
    if (!file) return false;
    const credential = JSON.parse(await file.async('string'));
    const result = await vc.verifyCredential({ credential, suite: new Ed25519Signature2018({ key: verifierKey }), documentLoader, now });
    return result.verified === true;
  };

  const common = 'unzip (JSZip) + JSON.parse + vc.verifyCredential: credential checks, RDF canonicalisation of the document and the proof, Ed25519; no revocation check (DIVOC asks an online API)';
  return {
    name: 'DIVOC-style W3C VC',
    packages: '@digitalbazaar/vc 7.3.0, @digitalbazaar/ed25519-signature-2018 4.2.0, jszip 3.10.1',
    carriers: {
      // What DIVOC's code puts in the QR: the ZIP as a JS "binary string", which qrcode encodes as UTF-8 (bytes ≥ 0x80 take two).
      divocApi: {
        qr: zipped,
        verify: () => verifyZip(zipped),
        verifyTampered: () => verifyZip(tamperedZip),
        note: `credential JSON ${Buffer.byteLength(json)} B minified, ZIP ${zipBytes.length} B; as DIVOC's API renders it (the ZIP as a binary string, UTF-8 in the QR). ${common}`,
      },
      // The same ZIP written as raw bytes (what a careful implementation would put in the QR).
      zipBytes: {
        qr: zipBytes,
        verify: () => verifyZip(zipBytes),
        note: `the same ZIP as raw bytes in one byte segment`,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// EU DCC: CWT in COSE_Sign1 ES256, zlib, Base45, HC1:

/** The certificate in the DCC's idiom: short keys, a name group, one entry in a typed array. */
function dccPayload(c: DocumentClaims) {
  const space = c.holderName.indexOf(' ');
  return {
    ver: '1.0.0',
    nam: { fn: c.holderName.slice(0, space), gn: c.holderName.slice(space + 1) },
    dob: field(c, 'dob'),
    ic: [
      {
        tg: c.documentType,
        fa: field(c, 'fn'),
        ad: field(c, 'addr'),
        in: field(c, 'inc'),
        fy: field(c, 'yr'),
        pu: field(c, 'pur'),
        is: field(c, 'off'),
        co: 'IN',
        si: c.statusIndex,
        ci: c.documentNumber,
      },
    ],
  };
}

export async function dcc(c: DocumentClaims): Promise<Peer> {
  // Its CommonJS entry (lib/index.js) loads the ES module source through the `esm` package, whose
  // parser fails on @peculiar/webcrypto's optional chaining under Node 20; the source itself
  // (lib/main.js, extensionless imports) loads through tsx, which this bench runs under anyway.
  const sdk = await load('@pathcheck/dcc-sdk/lib/main.js');
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // The kid dcc-sdk writes: the first 8 bytes of SHA-256 over the key's DER (the DCC takes the certificate's).
  const kid = createHash('sha256').update(spki).digest().subarray(0, 8).toString('base64');
  // Its trust registry, filled offline with this key (an unknown kid makes it fetch a registry from GitHub).
  sdk.addCachedKeys({ [kid]: spki.toString('base64') });

  // makeCWT sets iat from the clock; the certificate's own dates replace it.
  const cwt: Map<number, unknown> = await sdk.makeCWT(dccPayload(c), undefined, 'IN');
  cwt.set(6, c.issuedAt);
  if (c.expiresAt !== undefined) cwt.set(4, c.expiresAt);
  const hc1: string = await sdk.signAndPack(cwt, publicPem, privatePem);
  const tampered: string = await sdk.pack(tamperBytes(await sdk.unpack(hc1)));

  const verify = async (scanned: string) => (await sdk.unpackAndVerify(scanned)).status === 'verified';
  return {
    name: 'EU-DCC-style CWT, ES256',
    packages: '@pathcheck/dcc-sdk 0.0.27 (cbor 8, pako, base45, WebCrypto via @peculiar/webcrypto)',
    keys: { es256: publicKey },
    carriers: {
      hc1: {
        qr: hc1,
        verify: () => verify(hc1),
        verifyTampered: () => verify(tampered),
        note: 'unpackAndVerify: Base45, inflate, CBOR, key from its registry, WebCrypto ES256 verify; it checks neither iat nor exp',
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// OpenAttestation v2, DID-signed (Merkle root signed with an Ethereum key, did:ethr)

export async function oa(c: DocumentClaims): Promise<Peer> {
  const OA = await load('@govtechsg/open-attestation');
  const { Wallet, verifyMessage } = await load('@ethersproject/wallet');
  const { arrayify } = await load('@ethersproject/bytes');

  const wallet = new Wallet('0x' + Buffer.from(fixedBytes('oa key', 32)).toString('hex'));
  const did = `did:ethr:${wallet.address}`;
  const keyId = `${did}#controller`;
  const raw = {
    $template: { name: 'INCOME_CERTIFICATE', type: 'EMBEDDED_RENDERER', url: 'https://renderer.revenue.ap.gov.in' },
    id: c.documentNumber,
    name: 'Income Certificate',
    documentType: c.documentType,
    issuers: [
      {
        id: did,
        name: 'REV01',
        revocation: { type: 'OCSP_RESPONDER', location: 'https://revenue.ap.gov.in/ocsp' },
        identityProof: { type: 'DNS-DID', location: 'revenue.ap.gov.in', key: keyId },
      },
    ],
    recipient: { name: c.holderName, fatherName: field(c, 'fn'), dob: field(c, 'dob'), address: field(c, 'addr') },
    annualIncome: field(c, 'inc'),
    financialYear: field(c, 'yr'),
    purpose: field(c, 'pur'),
    issuingOffice: field(c, 'off'),
    statusIndex: c.statusIndex,
    issuedOn: isoSeconds(c.issuedAt),
    ...(c.expiresAt !== undefined ? { validUntil: isoSeconds(c.expiresAt) } : {}),
  };
  const wrapped = OA.wrapDocument(raw);
  const signed = await OA.signDocument(wrapped, OA.SUPPORTED_SIGNING_ALGORITHM.Secp256k1VerificationKey2018, { public: keyId, private: wallet.privateKey });
  const json = JSON.stringify(signed);
  const tampered = tamperText(json);

  // oa-verify's offline part for a DID-signed v2 document: DOCUMENT_INTEGRITY (verifySignature:
  // the salted fields' keccak256 digest against targetHash, the Merkle proof against merkleRoot),
  // then the DID signature: the address recovered from the signature over the Merkle root must be
  // the did:ethr's (oa-verify reads it from the resolved DID document; for did:ethr it is the DID's
  // own address). Left out: the DNS-TXT identity proof and the OCSP status, both online.
  const verifyJson = (text: string): boolean => {
    const doc = JSON.parse(text);
    if (!OA.verifySignature(doc)) return false;
    const proof = doc.proof?.[0];
    if (!proof || proof.type !== 'OpenAttestationSignature2018') return false;
    const issuer = OA.getData(doc).issuers[0];
    if (issuer.identityProof?.key !== proof.verificationMethod) return false;
    const address = /^did:ethr:(0x[0-9a-fA-F]{40})#controller$/.exec(proof.verificationMethod)?.[1];
    if (!address) return false;
    return verifyMessage(arrayify('0x' + doc.signature.merkleRoot), proof.signature).toLowerCase() === address.toLowerCase();
  };

  // What an OA QR code holds in practice: a Universal Action link to the document, stored
  // encrypted elsewhere (OA's ADR "universal actions"; TradeTrust and OpenCerts do this).
  const action = {
    type: 'DOCUMENT',
    payload: {
      uri: `https://documents.revenue.ap.gov.in/doc/${fixedUuid('oa document')}`,
      key: Buffer.from(fixedBytes('oa document key', 32)).toString('hex'),
      permittedActions: ['VIEW', 'STORE'],
      redirect: 'https://verify.revenue.ap.gov.in/',
    },
  };
  const link = `https://action.openattestation.com/?q=${encodeURIComponent(JSON.stringify(action))}`;

  return {
    name: 'OpenAttestation v2, DID-signed',
    packages: '@govtechsg/open-attestation 6.9.7, @ethersproject/wallet 5.8.0',
    carriers: {
      document: {
        qr: json,
        verify: () => verifyJson(json),
        verifyTampered: () => verifyJson(tampered),
        note: 'the whole wrapped, signed document in the QR; JSON.parse + verifySignature (keccak256 of each salted field, Merkle proof) + ethers verifyMessage (secp256k1 recovery) against the did:ethr; the DNS identity proof and OCSP status are online and left out',
      },
      link: {
        qr: link,
        note: 'what an OA QR usually holds: a link to the document stored (encrypted) online; verifying needs that fetch first, then the same checks as the whole document',
      },
    },
  };
}
