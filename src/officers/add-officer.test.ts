import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { loadLists } from '../catalog/index.ts';
import { testDb } from '../../test/support.ts';
import { TEST_COST, addOfficer, findOfficer, knownOffices, listOfficers, verifyPassword, type NewOfficer } from './index.ts';

let db: Awaited<ReturnType<typeof testDb>>;
before(async () => {
  db = await testDb();
});
after(() => db.dispose());

const ctx = {
  departments: new Set(['REV01', 'MAU01']),
  offices: knownOffices(loadLists(fileURLToPath(new URL('../../catalog/lists', import.meta.url)))),
  cost: TEST_COST,
};
const ravi: NewOfficer = { username: 'Ravi.K', password: 'tenali-rev-2026', displayName: 'Ravi Kumar', department: 'REV01', role: 'officer', office: 'guntur/tenali', designation: 'Tahsildar' };

test('the catalogue lists give districts and mandals as offices', () => {
  assert.ok(ctx.offices.has('guntur'));
  assert.ok(ctx.offices.has('guntur/tenali'));
  assert.ok(!ctx.offices.has('tenali'));
});

test('an officer is added with a lowercased username and a password hash, never the password', async () => {
  const r = await addOfficer(db, ravi, ctx);
  assert.ok(r.ok);
  assert.deepEqual({ ...r.officer, id: 0, createdAt: null }, { id: 0, username: 'ravi.k', displayName: 'Ravi Kumar', department: 'REV01', role: 'officer', office: 'guntur/tenali', designation: 'Tahsildar', disabled: false, createdAt: null });
  const [row] = await db.query<{ password_hash: string }>('select password_hash from officers where id = $1', [r.officer.id]);
  assert.doesNotMatch(row!.password_hash, /tenali-rev-2026/);
  assert.equal(await verifyPassword('tenali-rev-2026', row!.password_hash), true);
  assert.equal((await findOfficer(db, 'RAVI.K'))?.id, r.officer.id);

  const admin = await addOfficer(db, { username: 'state.admin', password: 'a-long-admin-secret', role: 'state_admin' }, ctx);
  assert.ok(admin.ok);
  assert.equal(admin.officer.department, null);
  assert.equal(admin.officer.office, '');
  assert.equal(admin.officer.displayName, 'state.admin');
  assert.deepEqual((await listOfficers(db)).map((o) => o.username), ['state.admin', 'ravi.k']);
});

test('every refusal is a value with its code', async () => {
  const cases: [Partial<NewOfficer>, string][] = [
    [{ username: 'RAVI.k' }, 'username_taken'],
    [{ username: 'ab' }, 'invalid_username'],
    [{ username: 'x'.repeat(41) }, 'invalid_username'],
    [{ username: 'ravi kumar' }, 'invalid_username'],
    [{ username: 'రవి' }, 'invalid_username'],
    [{ username: 'new.one', password: 'short-pw' }, 'weak_password'],
    [{ username: 'new.one', password: 'Password@123' }, 'weak_password'],
    [{ username: 'new.one', password: '1234567890' }, 'weak_password'],
    [{ username: 'new.one', password: 'aaaaaaaaaaaa' }, 'weak_password'],
    [{ username: 'long.username', password: 'Long.Username' }, 'weak_password'],
    [{ username: 'new.one', department: 'XYZ01' }, 'unknown_department'],
    [{ username: 'new.one', department: null }, 'unknown_department'],
    [{ username: 'new.one', department: undefined, role: 'supervisor' }, 'unknown_department'],
    [{ username: 'new.one', office: 'atlantis' }, 'unknown_office'],
    [{ username: 'new.one', office: 'tenali' }, 'unknown_office'],
    [{ username: 'new.one', role: 'superuser' }, 'invalid_role'],
    [{ username: 'new.one', role: 'Officer' }, 'invalid_role'],
  ];
  for (const [change, code] of cases) {
    const r = await addOfficer(db, { ...ravi, ...change }, ctx);
    assert.equal(r.ok, false, JSON.stringify(change));
    if (!r.ok) {
      assert.equal(r.code, code, JSON.stringify(change));
      assert.ok(r.message.length > 10);
    }
  }
  assert.equal(await findOfficer(db, 'new.one'), undefined);
});

test('two officers taking one username at once: one gets it, the other is told it is taken', async () => {
  const [a, b] = await Promise.all([addOfficer(db, { ...ravi, username: 'twin' }, ctx), addOfficer(db, { ...ravi, username: 'TWIN' }, ctx)]);
  assert.deepEqual([a.ok, b.ok].sort(), [false, true]);
  const loser = a.ok ? b : a;
  assert.ok(!loser.ok && loser.code === 'username_taken');
});
