import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair } from '../documents/index.ts';
import { pinnedRootKey } from './root-key.ts';

test('the verify page pins TRUST_ROOT_PUBLIC_KEY, else the public half of TRUST_ROOT_KEY, else nothing', () => {
  const root = generateKeyPair();
  const other = generateKeyPair();
  const base = { DATA_DIR: '/nonexistent', simulated: false, TRUST_ROOT_KEY: undefined, TRUST_ROOT_PUBLIC_KEY: undefined };
  assert.equal(pinnedRootKey({ ...base, TRUST_ROOT_PUBLIC_KEY: root.publicKey, TRUST_ROOT_KEY: other.secretKey }), root.publicKey);
  assert.equal(pinnedRootKey({ ...base, TRUST_ROOT_KEY: root.secretKey }), root.publicKey);
  assert.equal(pinnedRootKey(base), undefined, 'a live deployment that keeps the root key offline and pins none');
});
