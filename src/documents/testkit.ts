// Shared by the documents tests, the CLI test and bench.ts: a realistic Andhra Pradesh income
// certificate and a small world of keys. Not part of the public surface.
import { deflateSync } from 'node:zlib';
import { encodeBase41 } from './base45.ts';
import type { DocumentClaims } from './claims.ts';
import { generateKeyPair, keyPairFromSeed, newDepartmentKey, rotateKey, signTrustList, trustListOf, type DepartmentKey, type KeyPair, type TrustList } from './keys.ts';
import { FORMAT_PREFIX } from './payload.ts';
import type { CertificateInput } from './pdf/certificate.ts';

export const at = (iso: string) => new Date(iso);
export const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** An income certificate as a Tahsildar in Guntur district issues it (fields as printed, in English). */
export function incomeCertificate(over: Partial<DocumentClaims> = {}): DocumentClaims {
  return {
    issuer: 'REV01',
    issuedAt: seconds('2025-06-10T10:42:00+05:30'),
    expiresAt: seconds('2026-06-09T23:59:59+05:30'),
    documentType: 'income-certificate',
    documentNumber: 'IC/2025/GNT/TNL/004217',
    holderName: 'Kondapalli Venkata Lakshmi Narasimha Rao',
    statusIndex: 4217,
    fields: {
      fn: 'Kondapalli Subba Rao',
      dob: '1988-03-14',
      addr: 'D.No. 4-12-7, Gandhi Nagar, Tenali, Guntur District, Andhra Pradesh 522201',
      inc: 96000,
      yr: '2024-25',
      pur: 'Post-matric scholarship',
      off: 'Tahsildar, Tenali Mandal, Guntur District',
    },
    ...over,
  };
}

export interface World {
  root: KeyPair;
  keys: DepartmentKey[];
  rev: DepartmentKey;
  health: DepartmentKey;
  trustList: TrustList;
}

/**
 * Revenue and Health department keys made on 1 January 2025, and their trust list signed by the root.
 * Fresh random keys, or fixed ones (`fixed`) where a test needs the same bytes every run (sizes).
 */
export function world(fixed = false): World {
  const pair = (n: number) => (fixed ? keyPairFromSeed(new Uint8Array(32).fill(n)) : generateKeyPair());
  const root = pair(1);
  const rev = newDepartmentKey('REV01', at('2025-01-01T00:00:00Z'), undefined, pair(2));
  const health = newDepartmentKey('HLT01', at('2025-01-01T00:00:00Z'), undefined, pair(3));
  const keys = [rev, health];
  return { root, keys, rev, health, trustList: signTrustList(trustListOf(keys, 1, at('2025-01-01T00:00:00Z')), root).trustList };
}

/** World after a rotation of the Revenue key at `when`. */
export function rotated(w: World, when: Date) {
  const r = rotateKey(w.keys, 'REV01', when);
  return { keys: r.keys, added: r.added, trustList: trustListOf(r.keys, 2, when) };
}

/** The bare payload of raw COSE bytes (as an attacker would re-encode a tampered document). */
export function payloadOf(cose: Uint8Array, compress = false): string {
  return FORMAT_PREFIX + encodeBase41(compress ? deflateSync(cose) : cose);
}

/**
 * The printed certificate for `incomeCertificate()` claims: what the Tahsildar's office prints, in
 * Telugu and English, around the QR code that holds `qr` (the verify URL of the signed claims).
 */
export function incomeCertificatePdf(claims: DocumentClaims, qr: string, over: Partial<CertificateInput> = {}): CertificateInput {
  return {
    title: { te: 'ఆదాయ ధ్రువీకరణ పత్రం', en: 'Income Certificate' },
    department: { name: { te: 'రెవెన్యూ శాఖ', en: 'Revenue Department' }, code: claims.issuer },
    office: 'Office of the Tahsildar, Tenali Mandal, Guntur District',
    officer: { name: 'Ch. Srinivasa Rao', designation: { te: 'తహసీల్దార్, తెనాలి మండలం', en: 'Tahsildar, Tenali Mandal' } },
    holderName: `కొండపల్లి వెంకట లక్ష్మీ నరసింహారావు (${claims.holderName})`,
    fields: [
      { label: { te: 'తండ్రి పేరు', en: "Father's name" }, value: 'కొండపల్లి సుబ్బారావు (Kondapalli Subba Rao)' },
      { label: { te: 'పుట్టిన తేదీ', en: 'Date of birth' }, value: '14-03-1988' },
      { label: { te: 'చిరునామా', en: 'Address' }, value: 'D.No. 4-12-7, గాంధీ నగర్, తెనాలి, గుంటూరు జిల్లా, ఆంధ్రప్రదేశ్ 522201' },
      { label: { te: 'కుటుంబ వార్షిక ఆదాయం', en: "Family's yearly income" }, value: '₹ 96,000 (తొంభై ఆరు వేల రూపాయలు / Rupees ninety-six thousand)' },
      { label: { te: 'ఆర్థిక సంవత్సరం', en: 'Financial year' }, value: '2024-25' },
      { label: { te: 'ఎందుకు', en: 'Purpose' }, value: 'పోస్ట్-మెట్రిక్ ఉపకార వేతనం (Post-matric scholarship)' },
    ],
    documentNumber: claims.documentNumber,
    issuedAt: new Date(claims.issuedAt * 1000),
    validUntil: claims.expiresAt === undefined ? undefined : new Date(claims.expiresAt * 1000),
    qr,
    ...over,
  };
}
