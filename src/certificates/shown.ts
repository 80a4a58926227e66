import type { Catalog } from '../catalog/index.ts';
import type { DocumentClaims } from '../documents/claims.ts';
import { claimKeysOf, type Bilingual } from './contents.ts';

// What a verified certificate says, as a person reads it: its title, its department and its fields
// under the catalogue's labels. The server builds it for the verify page it renders; the browser
// builds it for the verdicts it reaches offline, from the same labels sent as JSON (labelsOf).

/** The certificate's claims in words, beside the verdict. */
export interface Shown {
  department: Bilingual;
  title: Bilingual;
  number: string;
  holderName: string;
  issuedAt: Date;
  expiresAt?: Date;
  fields: { label: Bilingual; value: string }[];
}

/** The catalogue's words for every document it issues: small enough to send to a browser. */
export interface DocumentLabels {
  departments: Record<string, Bilingual>;
  /** By document type; fields by their claim key (a field id's first 16 characters, see contents.ts). */
  documents: Record<string, { title: Bilingual; fields: Record<string, { label: Bilingual; money?: true }> }>;
}

export function labelsOf(catalog: Catalog): DocumentLabels {
  const labels: DocumentLabels = { departments: {}, documents: {} };
  for (const d of catalog.departments) if (!own(labels.departments, d.code)) labels.departments[d.code] = { te: d.name.te, en: d.name.en };
  for (const s of catalog.services.values()) {
    if (!s.issues || own(labels.documents, s.issues.document)) continue;
    const fields: DocumentLabels['documents'][string]['fields'] = {};
    const keys = claimKeysOf(s);
    for (const f of s.fields) {
      const key = keys.get(f.id);
      if (key !== undefined) fields[key] = { label: { te: f.label.te, en: f.label.en }, ...(f.type === 'money' ? { money: true as const } : {}) };
    }
    labels.documents[s.issues.document] = { title: { te: s.issues.title.te, en: s.issues.title.en }, fields };
  }
  return labels;
}

/** Only the record's own entries: a document type or field key such as "constructor" is not a label. */
const own = <T>(record: Record<string, T>, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);

export function shownOf(labels: DocumentLabels, c: DocumentClaims): Shown {
  const document = own(labels.documents, c.documentType) ? labels.documents[c.documentType] : undefined;
  const field = (key: string) => (document && own(document.fields, key) ? document.fields[key] : undefined);
  return {
    department: own(labels.departments, c.issuer) ? labels.departments[c.issuer]! : { te: c.issuer, en: c.issuer },
    title: document?.title ?? { te: c.documentType, en: c.documentType },
    number: c.documentNumber,
    holderName: c.holderName,
    issuedAt: new Date(c.issuedAt * 1000),
    ...(c.expiresAt !== undefined ? { expiresAt: new Date(c.expiresAt * 1000) } : {}),
    fields: Object.entries(c.fields).map(([k, v]) => ({
      label: field(k)?.label ?? { te: k, en: k },
      value: typeof v === 'number' && field(k)?.money ? `₹${v.toLocaleString('en-IN')}` : String(v),
    })),
  };
}
