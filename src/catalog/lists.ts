import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ListEntry {
  id: string;
  te: string;
  en: string;
  /** For nested lists (mandals within a district): the parent entry's id. */
  parent?: string;
}

/** Minimal RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((c) => c !== ''));
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

const slug = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** The shared lists choice fields may name, read from catalog/lists/. */
export function loadLists(dir: string): Map<string, ListEntry[]> {
  const districts = parseCsv(readFileSync(join(dir, 'ap-districts.csv'), 'utf8')).map((r) => ({
    id: slug(r.district_en!),
    en: r.district_en!,
    te: r.district_te || r.district_en!,
  }));
  const mandals = parseCsv(readFileSync(join(dir, 'ap-mandals.csv'), 'utf8')).map((r) => ({
    id: `${slug(r.district_en!)}/${slug(r.mandal_en!)}`,
    en: r.mandal_en!,
    te: r.mandal_te || r.mandal_en!,
    parent: slug(r.district_en!),
  }));
  return new Map([
    ['ap-districts', districts],
    ['ap-mandals', mandals],
  ]);
}

/** Which list a nested list sits within (mandals within districts). */
export const LIST_PARENT: Record<string, string> = { 'ap-mandals': 'ap-districts' };
