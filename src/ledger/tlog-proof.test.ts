import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair } from '../documents/index.ts';
import { appendLeaves, checkTlogProof, ed25519Signer, ed25519Verifier, EMPTY_FRONTIER, formatTlogProof, frontierRoot, inclusionProof, leafHash, memorySource, parseTlogProof, signCheckpoint } from './index.ts';

const ORIGIN = 'example.com/mitra-ledger';
const key = generateKeyPair();
const verifier = ed25519Verifier(ORIGIN, Buffer.from(key.publicKey, 'base64url'));
const entries = Array.from({ length: 13 }, (_, i) => Buffer.from(`entry ${i}\n`));
const { frontier, nodes } = appendLeaves(EMPTY_FRONTIER, entries.map(leafHash));
const checkpoint = signCheckpoint({ origin: ORIGIN, size: 13, rootHash: frontierRoot(frontier) }, [ed25519Signer(ORIGIN, key)]);
const proofOf = (i: number) => formatTlogProof({ extra: entries[i]!, index: i, proof: inclusionProof(i, 13, memorySource(nodes)), checkpoint });

test('tlog-proof: the text has the spec\'s shape, reads back, and proves each entry offline', () => {
  const text = proofOf(6);
  const lines = text.split('\n');
  assert.equal(lines[0], 'c2sp.org/tlog-proof@v1');
  assert.equal(lines[1], `extra ${entries[6]!.toString('base64')}`);
  assert.equal(lines[2], 'index 6');
  assert.ok(text.endsWith(checkpoint), 'the checkpoint verbatim at the end');
  for (let i = 0; i < 13; i++) {
    const checked = checkTlogProof(proofOf(i), entries[i]!, [verifier], ORIGIN);
    assert.ok(checked.ok, `entry ${i}`);
    assert.deepEqual(Buffer.from(checked.extra!), entries[i]);
  }
  const read = parseTlogProof(text);
  assert.ok(read.ok && read.proof.index === 6 && read.proof.proof.length === 4);
});

test('tlog-proof: another entry, another key, a changed hash, a wrong index or garbage are refused', () => {
  const text = proofOf(6);
  const code = (r: ReturnType<typeof checkTlogProof>) => (r.ok ? 'ok' : r.code);
  assert.equal(code(checkTlogProof(text, entries[7]!, [verifier])), 'not_included');
  const other = ed25519Verifier(ORIGIN, Buffer.from(generateKeyPair().publicKey, 'base64url'));
  assert.equal(code(checkTlogProof(text, entries[6]!, [other])), 'bad_checkpoint');
  assert.equal(code(checkTlogProof(text, entries[6]!, [verifier], 'another.example/log')), 'bad_checkpoint');
  const lines = text.split('\n');
  lines[3] = Buffer.alloc(32, 7).toString('base64');
  assert.equal(code(checkTlogProof(lines.join('\n'), entries[6]!, [verifier])), 'not_included');
  assert.equal(code(checkTlogProof(text.replace('index 6', 'index 5'), entries[6]!, [verifier])), 'not_included');
  for (const garbage of ['', 'c2sp.org/tlog-proof@v2\nindex 1\n\nx', 'c2sp.org/tlog-proof@v1\nindex 01\n\nx', 'c2sp.org/tlog-proof@v1\nindex 1\nnot-base64!\n\nx']) {
    assert.equal(code(checkTlogProof(garbage, entries[6]!, [verifier])), 'malformed_proof', JSON.stringify(garbage));
  }
});
