import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { loadCatalog } from '../catalog/index.ts';
import { TEST_COST, login, seedDemoOfficers } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>;
before(async () => {
  db = await testDb();
});
after(() => db.dispose());

test('a fresh demo gets a sign-in for every department, once, with the password kept beside the data', async () => {
  const loaded = loadCatalog('catalog');
  assert.ok(loaded.ok);
  const dir = mkdtempSync(join(tmpdir(), 'mitra-demo-'));
  const demo = await seedDemoOfficers(db, loaded.catalog, dir, TEST_COST);
  assert.ok(demo);
  for (const d of loaded.catalog.departments) assert.ok(demo.usernames.includes(`${d.prefix.toLowerCase()}.admin`), d.code);
  const rev = await login(db, { now: () => new Date() }, { username: 'rev.admin', password: demo.password });
  assert.ok(rev.ok && rev.officer.department === 'REV01' && rev.officer.role === 'department_admin');
  const tenali = await login(db, { now: () => new Date() }, { username: 'vro.tenali', password: demo.password });
  assert.ok(tenali.ok && tenali.officer.office === 'guntur/tenali');
  const again = await seedDemoOfficers(db, loaded.catalog, dir, TEST_COST);
  assert.deepEqual(again, demo, 'a restart prints the same logins and adds nobody');
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from officers');
  assert.equal(count!.n, demo.usernames.length);
});
