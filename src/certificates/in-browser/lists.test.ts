import assert from 'node:assert/strict';
import { test } from 'node:test';
import { revokeKey, signTrustList, trustListOf } from '../../documents/keys.ts';
import { newStatusList, setRevoked, signStatusList } from '../../documents/status-list.ts';
import { at, world } from '../../documents/testkit.ts';
import { gatherLists, type Keeping } from './lists.ts';
import { statusListUrl, TRUST_LIST_URL } from './setup.ts';

// What the verify page keeps for offline use, run in Node over the same Web Crypto verifier: only
// lists that verify are kept, and never one older than what is kept (a trust list below the highest
// serial seen, a status list issued before the kept one).

const w = world();
const json = (v: unknown) => JSON.parse(JSON.stringify(v));
const trust = (serial: number, keys = w.keys) => json(signTrustList(trustListOf(keys, serial, at('2025-01-01T00:00:00Z')), w.root));
const status = (department: 'REV01' | 'HLT01', day: string, revoked: number[] = []) => {
  const list = newStatusList(department);
  for (const i of revoked) setRevoked(list, i);
  return json(signStatusList(list, department === 'REV01' ? w.rev : w.health, at(`${day}T00:00:00Z`)));
};

function memory(): Keeping & { shelf: Map<string, unknown>; serial: number } {
  const shelf = new Map<string, unknown>();
  const k = {
    shelf,
    serial: 0,
    kept: async (url: string) => shelf.get(url),
    keep: async (url: string, j: unknown) => void shelf.set(url, j),
    seenSerial: () => k.serial,
    sawSerial: (s: number) => void (k.serial = Math.max(k.serial, s)),
  };
  return k;
}
const network = (files: Record<string, unknown>) => async (url: string) => files[url];
const online = (serial = 1, day = '2025-06-30') => ({ [TRUST_LIST_URL]: trust(serial), [statusListUrl('REV01')]: status('REV01', day, [4217]), [statusListUrl('HLT01')]: status('HLT01', day) });

test('online: both kinds of list are verified, kept, and the serial remembered; offline the kept ones serve', async () => {
  const keeping = memory();
  const got = await gatherLists({ rootKeys: [w.root.publicKey], download: network(online()), keeping });
  assert.ok('trustList' in got);
  assert.deepEqual(got.statusLists.map((l) => l.issuer), ['HLT01', 'REV01']);
  assert.deepEqual(got.refused, []);
  assert.equal(keeping.serial, 1);
  assert.deepEqual([...keeping.shelf.keys()].sort(), ['/.well-known/mitra/status/HLT01.json', '/.well-known/mitra/status/REV01.json', TRUST_LIST_URL]);

  const offline = await gatherLists({ rootKeys: [w.root.publicKey], download: network({}), keeping });
  assert.ok('trustList' in offline);
  assert.equal(offline.statusLists.find((l) => l.issuer === 'REV01')?.bits[4217 >> 3], 1 << (4217 & 7), 'the kept revocation still counts');
  assert.match(offline.refused.join(), /trust list: not downloaded/);
});

test('an older trust list (lower serial than seen) or status list (issued before the kept one) is refused; the kept one stays', async () => {
  const keeping = memory();
  await gatherLists({ rootKeys: [w.root.publicKey], download: network(online(2, '2025-06-30')), keeping });
  // A replay of last month's lists: serial 1, and a REV01 list from before document 4217 was revoked.
  const replay = { [TRUST_LIST_URL]: trust(1), [statusListUrl('REV01')]: status('REV01', '2025-05-01'), [statusListUrl('HLT01')]: status('HLT01', '2025-05-01') };
  const got = await gatherLists({ rootKeys: [w.root.publicKey], download: network(replay), keeping });
  assert.ok('trustList' in got);
  assert.equal(got.trustList.serial, 2);
  assert.deepEqual(got.statusLists.map((l) => l.issuedAt), ['2025-06-30T00:00:00.000Z', '2025-06-30T00:00:00.000Z']);
  assert.match(got.refused.join('\n'), /downloaded trust list: serial 1 is older than 2, already seen/);
  assert.match(got.refused.join('\n'), /status list of REV01: issued 2025-05-01T00:00:00.000Z, before the one kept/);

  // The kept copy alone is below the serial seen (storage cleared, then an old copy restored): nothing to trust.
  const fresh = memory();
  fresh.serial = 5;
  fresh.shelf.set(TRUST_LIST_URL, trust(2));
  const none = await gatherLists({ rootKeys: [w.root.publicKey], download: network({}), keeping: fresh });
  assert.ok(!('trustList' in none));
  assert.match(none.refused.join('\n'), /kept trust list: serial 2 is older than 5/);
});

test('a list that does not verify is never kept: another root, a tampered list, a status list of a revoked key', async () => {
  const keeping = memory();
  const tampered = { ...online(), [TRUST_LIST_URL]: { ...trust(1), trustList: { ...trust(1).trustList, serial: 9 } } };
  const got = await gatherLists({ rootKeys: [w.root.publicKey], download: network(tampered), keeping });
  assert.ok(!('trustList' in got));
  assert.equal(keeping.shelf.size, 0);
  assert.match(got.refused.join(), /the root signature does not verify/);
  assert.ok(!('trustList' in (await gatherLists({ rootKeys: [w.health.publicKey], download: network(online()), keeping }))), 'not the pinned root');

  // REV01's key revoked in the trust list: REV01's status list is neither asked for nor trusted.
  const revoked = revokeKey(w.keys, w.rev.kid, 'compromise', at('2025-06-20T00:00:00Z'));
  assert.ok(revoked.ok);
  const asked: string[] = [];
  const files: Record<string, unknown> = { ...online(), [TRUST_LIST_URL]: trust(3, revoked.keys) };
  const after = await gatherLists({ rootKeys: [w.root.publicKey], download: async (url) => (asked.push(url), files[url]), keeping });
  assert.ok('trustList' in after);
  assert.deepEqual(after.statusLists.map((l) => l.issuer), ['HLT01']);
  assert.ok(!asked.includes(statusListUrl('REV01')));
});
