import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './load.ts';
import { createServiceSearch } from './search.ts';

// The held-out search evaluation: queries written as citizens type them, each with the service it
// should find. They were written from service names alone, without the catalogue's keywords, so the
// score says how search does on words the catalogue was not tuned for. The planners keep a set too.

const root = fileURLToPath(new URL('../../catalog', import.meta.url));
const queriesFile = fileURLToPath(new URL('../../test/search-queries.tsv', import.meta.url));

test('search finds the right service in the top 3 for at least 90% of held-out queries', () => {
  const loaded = loadCatalog(root);
  assert.ok(loaded.ok);
  const names = new Map(loaded.catalog.departments.map((d) => [d.code, d.name]));
  const search = createServiceSearch([...loaded.catalog.services.values()].map((s) => ({ ...s, departmentName: names.get(s.department) })));
  const rows = readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));
  assert.ok(rows.length >= 200, `only ${rows.length} queries`);
  const byKind = new Map<string, { n: number; top1: number; top3: number }>();
  const misses: string[] = [];
  for (const [query, expected, kind = 'other'] of rows) {
    assert.ok(loaded.catalog.services.has(expected!), `the query file names an unknown service: ${expected}`);
    const hits = search.search(query!, 3).map((h) => h.id);
    const k = byKind.get(kind) ?? { n: 0, top1: 0, top3: 0 };
    k.n++;
    if (hits[0] === expected) k.top1++;
    if (hits.includes(expected!)) k.top3++;
    else misses.push(`  ${query}  →  ${hits.join(', ') || '(nothing)'}  (wanted ${expected})`);
    byKind.set(kind, k);
  }
  const all = [...byKind.values()].reduce((a, k) => ({ n: a.n + k.n, top1: a.top1 + k.top1, top3: a.top3 + k.top3 }), { n: 0, top1: 0, top3: 0 });
  const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`;
  console.log(`search evaluation: ${all.n} queries, top-1 ${pct(all.top1, all.n)}, top-3 ${pct(all.top3, all.n)}`);
  for (const [kind, k] of [...byKind].sort()) console.log(`  ${kind.padEnd(10)} ${String(k.n).padStart(4)} queries  top-1 ${pct(k.top1, k.n).padStart(6)}  top-3 ${pct(k.top3, k.n).padStart(6)}`);
  if (misses.length) console.log(`missed (${misses.length}):\n${misses.join('\n')}`);
  assert.ok(all.top3 / all.n >= 0.9, `top-3 accuracy ${pct(all.top3, all.n)} is below 90%`);
});
