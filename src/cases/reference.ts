import type { Queryable } from '../platform/index.ts';

const REFERENCE = /^([A-Z]{2,5})-(\d{2})-(\d{6,})$/;

/** A reference as citizens type it ("rev 26 123", "REV-26-000123") in its one written form, or undefined. */
export function normaliseReference(text: string): string | undefined {
  const m = text.trim().toUpperCase().match(/^([A-Z]{2,5})[\s\-/]*(\d{2})[\s\-/]*(\d{1,9})$/);
  if (!m) return undefined;
  const reference = `${m[1]}-${m[2]}-${m[3]!.padStart(6, '0')}`;
  return REFERENCE.test(reference) ? reference : undefined;
}

/**
 * The next reference for a prefix: PREFIX-YY-NNNNNN, counted per prefix and year. The counter row is
 * locked until the filing transaction commits, so two filings never share a number and a rolled-back
 * filing gives its number back.
 */
export async function nextReference(tx: Queryable, prefix: string, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const [row] = await tx.query<{ last: number }>(
    `insert into reference_counters (prefix, year, last) values ($1, $2, 1)
     on conflict (prefix, year) do update set last = reference_counters.last + 1
     returning last`,
    [prefix, year],
  );
  return `${prefix}-${String(year % 100).padStart(2, '0')}-${String(row!.last).padStart(6, '0')}`;
}
