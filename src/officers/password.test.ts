import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_COST, TEST_COST, hashPassword, needsRehash, verifyPassword } from './index.ts';

test('a hash verifies its own password and no other; each hash has its own salt', async () => {
  const hash = await hashPassword('tenali-rev-2026', TEST_COST);
  assert.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  assert.equal(await verifyPassword('tenali-rev-2026', hash), true);
  assert.equal(await verifyPassword('tenali-rev-2027', hash), false);
  assert.equal(await verifyPassword('', hash), false);
  assert.notEqual(await hashPassword('tenali-rev-2026', TEST_COST), hash);
  // Telugu typed as precomposed or decomposed characters is the same password.
  const telugu = await hashPassword('కొత్త పాస్‌వర్డ్ 2026'.normalize('NFD'), TEST_COST);
  assert.equal(await verifyPassword('కొత్త పాస్‌వర్డ్ 2026'.normalize('NFC'), telugu), true);
});

test('an unreadable or outlandish stored hash never verifies and asks for a rehash', async () => {
  for (const stored of ['', 'plain', 'scrypt$1024$8$1$AAAA', 'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', `scrypt$${2 ** 24}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`]) {
    assert.equal(await verifyPassword('anything at all', stored), false, stored);
    assert.equal(needsRehash(stored), true, stored);
  }
});

test('needsRehash tells a hash made with other parameters', async () => {
  const cheap = await hashPassword('tenali-rev-2026', TEST_COST);
  assert.equal(needsRehash(cheap, TEST_COST), false);
  assert.equal(needsRehash(cheap, DEFAULT_COST), true);
  assert.equal(needsRehash(cheap, { ...TEST_COST, r: 4 }), true);
});

test('the default cost (N=2^15, r=8, p=1) runs within its memory limit', async () => {
  const hash = await hashPassword('tenali-rev-2026');
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.equal(needsRehash(hash), false);
  assert.equal(await verifyPassword('tenali-rev-2026', hash), true);
  assert.equal(await verifyPassword('tenali-rev-2025', hash), false);
});
