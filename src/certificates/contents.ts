import type { Catalog, Service } from '../catalog/index.ts';
import type { CaseRow } from '../cases/index.ts';

/** Words in both of the citizen's languages. */
export interface Bilingual {
  te: string;
  en: string;
}

/** What a certificate prints beside its signed claims; kept with it, so a reprint is the same paper. */
export interface Printed {
  title: Bilingual;
  department: Bilingual & { code: string };
  /** Where it was issued: "Tenali Mandal, Guntur District". */
  office: Bilingual;
  officer: { name: string; designation: Bilingual };
  holderName: string;
  fields: { label: Bilingual; value: string }[];
  reference: string;
}

export interface Contents {
  holderName: string;
  /** The signed fields: short keys, text or whole numbers. */
  claims: Record<string, string | number>;
  printed: Printed;
}

// The QR carries what a verifier compares with the paper. Uploaded files, places on a map and
// Aadhaar numbers stay out of it: a photo cannot be compared by eye, and an Aadhaar number is kept
// only as a hash (the last four digits are not worth the bytes of a public code).
export const LEFT_OUT: ReadonlySet<string> = new Set(['media', 'location', 'aadhaar']);
const MAX_CLAIM_TEXT = 200;
const MAX_CLAIMS = 32;

/**
 * Each printable field's claim key: its id cut to the 16 characters claims allow, numbered when two
 * ids share their first 16. Made from the form alone, never from which questions were answered, so
 * the verify page's labels (shown.ts) name the same field the certificate's claim came from.
 */
export function claimKeysOf(service: Service): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const f of service.fields) {
    if (LEFT_OUT.has(f.type)) continue;
    let key = f.id.slice(0, 16);
    for (let n = 2; taken.has(key); n++) key = `${f.id.slice(0, 16 - String(n).length)}${n}`;
    taken.add(key);
    keys.set(f.id, key);
  }
  return keys;
}

/** What an approved application's certificate says, from the citizen's answers as the form kept them. */
export function certificateContents(catalog: Catalog, service: Service, c: CaseRow, approvedBy: Printed['officer']): Contents {
  const claims: Record<string, string | number> = {};
  const fields: Printed['fields'] = [];
  const keys = claimKeysOf(service);
  let holderName: string | undefined;
  for (const f of service.fields) {
    const v = c.answers[f.id];
    if (v === null || v === undefined || LEFT_OUT.has(f.type)) continue;
    let value: Bilingual;
    let claim: string | number;
    if (f.type === 'choice') {
      const picked = f.options?.find((o) => o.id === v)?.label ?? (f.list ? catalog.lists.get(f.list)?.find((e) => e.id === v) : undefined);
      value = picked ? { te: picked.te, en: picked.en } : { te: String(v), en: String(v) };
      claim = value.en;
    } else if (typeof v === 'boolean') {
      value = v ? { te: 'అవును', en: 'Yes' } : { te: 'కాదు', en: 'No' };
      claim = value.en;
    } else if (f.type === 'money') {
      const text = `₹${Number(v).toLocaleString('en-IN')}`;
      value = { te: text, en: text };
      claim = Number(v);
    } else {
      value = { te: String(v), en: String(v) };
      claim = typeof v === 'number' && Number.isSafeInteger(v) ? v : String(v).slice(0, MAX_CLAIM_TEXT);
    }
    if (f.type === 'person_name' && holderName === undefined) holderName = String(v);
    else if (Object.keys(claims).length < MAX_CLAIMS) claims[keys.get(f.id)!] = claim;
    fields.push({ label: f.label, value: value.te === value.en ? value.en : `${value.te} / ${value.en}` });
  }
  const holder = (holderName ?? fields[0]?.value ?? c.reference).slice(0, MAX_CLAIM_TEXT);
  const department = catalog.departments.find((d) => d.code === c.department);
  return {
    holderName: holder,
    claims,
    printed: {
      title: service.issues?.title ?? service.name,
      department: { code: c.department, te: department?.name.te ?? c.department, en: department?.name.en ?? c.department },
      office: officeName(catalog, c),
      officer: approvedBy,
      holderName: holder,
      fields: fields.filter((f) => f.value !== holder),
      reference: c.reference,
    },
  };
}

/** The issuing office in words, from the case's place: "Tenali Mandal, Guntur District". */
function officeName(catalog: Catalog, c: CaseRow): Bilingual {
  const district = catalog.lists.get('ap-districts')?.find((d) => d.id === c.district);
  const mandal = catalog.lists.get('ap-mandals')?.find((m) => m.id === c.mandal);
  const te: string[] = [];
  const en: string[] = [];
  if (mandal && c.office.includes('/')) {
    te.push(`${mandal.te} మండలం`);
    en.push(`${mandal.en} Mandal`);
  }
  if (district && c.office !== '') {
    te.push(`${district.te} జిల్లా`);
    en.push(`${district.en} District`);
  }
  if (en.length === 0) return { te: 'ఆంధ్రప్రదేశ్ ప్రభుత్వం', en: 'Government of Andhra Pradesh' };
  return { te: te.join(', '), en: en.join(', ') };
}
