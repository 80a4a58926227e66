import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair, keyPairFromSeed, type KeyPair } from '../documents/index.ts';
import { openCheckpoint, signCheckpoint } from './checkpoint.ts';
import { cosignatureTime, cosignatureVerifier, cosignedMessage, cosigner, cosignerKeyId } from './cosignature.ts';
import { appendLeaves, EMPTY_FRONTIER } from './frontier.ts';
import { EMPTY_ROOT, leafHash, type Hash } from './merkle.ts';
import { ed25519Signer, ed25519Verifier, openNote, rawPublicKey } from './note.ts';
import { consistencyProof, memorySource, rootAt, type HashSource } from './proofs.ts';
import { addCheckpoint, formatAddCheckpoint, parseAddCheckpoint, type AddCheckpoint, type Cosigned, type WitnessAnswer } from './witness.ts';

// The example request body of c2sp.org/tlog-witness (add-checkpoint).
const SPEC_BODY = `old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
`;

const ORIGIN = 'mitra.test/log';
const NOW = 1_751_360_400; // 2025-07-01T09:00:00Z

/** A log: its entries, its stored nodes, and its key. `fork` changes one entry, as a log rewriting history would. */
function log(size: number, keys: KeyPair, fork?: number) {
  const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(i === fork ? `forged ${i}` : `document ${i}`));
  const source: HashSource = memorySource(appendLeaves(EMPTY_FRONTIER, entries.map(leafHash)).nodes);
  const checkpoint = (n: number) => signCheckpoint({ origin: ORIGIN, size: n, rootHash: rootAt(n, source) }, [ed25519Signer(ORIGIN, keys)]);
  return { source, checkpoint, root: (n: number) => rootAt(n, source) };
}

const logKeys = keyPairFromSeed(new Uint8Array(32).fill(1));
const witnessKeys = keyPairFromSeed(new Uint8Array(32).fill(2));
const witness = { name: 'witness.test/w1', keyPair: witnessKeys };
const logVerifier = ed25519Verifier(ORIGIN, rawPublicKey(logKeys));

function ask(body: string, latest: Cosigned | undefined, keys = [logVerifier]): WitnessAnswer {
  const read = parseAddCheckpoint(body);
  assert.ok(read.ok, read.ok ? '' : read.message);
  return addCheckpoint({ request: read.request, origin: read.origin, logKeys: read.origin === ORIGIN ? keys : undefined, latest, witness, time: NOW });
}
const req = (oldSize: number, proof: Hash[], checkpoint: string): string => formatAddCheckpoint({ oldSize, proof, checkpoint });
const brief = (a: WitnessAnswer) => `${a.status} ${a.code}`;

test('add-checkpoint request body: the tlog-witness example reads, and writing it back gives the same bytes', () => {
  const r = parseAddCheckpoint(SPEC_BODY);
  assert.ok(r.ok);
  assert.equal(r.request.oldSize, 20852014);
  assert.equal(r.request.proof.length, 4);
  assert.equal(Buffer.from(r.request.proof[0]!).toString('base64'), 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=');
  assert.equal(r.origin, 'example.com/behind-the-sofa');
  assert.ok(r.request.checkpoint.startsWith('example.com/behind-the-sofa\n20852163\n'));
  assert.equal(formatAddCheckpoint(r.request), SPEC_BODY);
  // Its signatures are by a key this witness does not trust: 403, whatever the proof.
  const a = addCheckpoint({ request: r.request, origin: r.origin, logKeys: [ed25519Verifier(r.origin, rawPublicKey(logKeys))], latest: undefined, witness, time: NOW });
  assert.equal(brief(a), '403 bad_signature');
  for (const bad of [
    SPEC_BODY.replace('old 20852014', 'old 020852014'),
    SPEC_BODY.replace('old 20852014', 'Old 20852014'),
    SPEC_BODY.replace('old 20852014\n', ''),
    SPEC_BODY.replace('PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=', 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpka'),
    SPEC_BODY.replace('\n\nexample.com', '\nexample.com'),
    `old 0\n${'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n'.repeat(64)}\nexample.com/behind-the-sofa\n1\nx\n`,
    'old 0\n\nno signatures\n',
  ]) {
    const r2 = parseAddCheckpoint(bad);
    assert.ok(!r2.ok && r2.status === 400, JSON.stringify(bad.slice(0, 50)));
  }
});

test('cosignatures: the signed message is "cosignature/v1\\ntime <t>\\n" + the checkpoint text, and the line is key ID || time || Ed25519', () => {
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  // The example message of c2sp.org/tlog-cosignature.
  assert.equal(
    Buffer.from(cosignedMessage(text, 1679315147)).toString(),
    'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
  );
  // transparency-dev/formats note_cosigv1_test.go (TestCosignatureTimestamp): this signature states 1727964367.
  const known = 'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==';
  assert.equal(cosignatureTime({ name: 'w', keyId: 0x646846b9, base64: known }), 1727964367);
  assert.equal(cosignatureTime({ name: 'w', keyId: 0, base64: 'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=' }), undefined, 'a plain Ed25519 signature has no time');

  const note = signCheckpoint({ origin: ORIGIN, size: 1, rootHash: EMPTY_ROOT }, [cosigner(witness.name, witnessKeys, NOW)]);
  const opened = openNote(note, [cosignatureVerifier(witness.name, rawPublicKey(witnessKeys))]);
  assert.ok(opened.ok);
  const raw = Buffer.from(opened.verified[0]!.base64, 'base64');
  assert.equal(raw.length, 4 + 8 + 64);
  assert.equal(raw.readUInt32BE(0), cosignerKeyId(witness.name, rawPublicKey(witnessKeys)));
  assert.equal(raw.readBigUInt64BE(4), BigInt(NOW));
  assert.equal(cosignatureTime(opened.verified[0]!), NOW);
  // The time is signed: a cosignature restamped to another time no longer verifies.
  raw.writeBigUInt64BE(BigInt(NOW + 1), 4);
  const restamped = note.replace(opened.verified[0]!.base64, raw.toString('base64'));
  assert.equal(openNote(restamped, [cosignatureVerifier(witness.name, rawPublicKey(witnessKeys))]).ok, false);
});

test('witness: first contact is trust on first use (old 0, empty proof), then each step needs a consistency proof', () => {
  const l = log(20, logKeys);
  const first = ask(req(0, [], l.checkpoint(5)), undefined);
  assert.equal(brief(first), '200 cosigned');
  assert.ok(first.status === 200);
  assert.equal(first.contentType, 'text/plain; charset=utf-8');
  assert.match(first.body, /^— witness\.test\/w1 [A-Za-z0-9+/=]+\n$/);
  assert.deepEqual({ ...first.record, rootHash: [...first.record.rootHash] }, { origin: ORIGIN, size: 5, rootHash: [...l.root(5)], checkpoint: l.checkpoint(5) });

  // The log adds the response lines to its checkpoint; anyone trusting the log and the witness can check both.
  const cosigned = openCheckpoint(l.checkpoint(5) + first.body, [logVerifier, cosignatureVerifier(witness.name, rawPublicKey(witnessKeys))], { origin: ORIGIN });
  assert.ok(cosigned.ok);
  assert.deepEqual(cosigned.verified.map((s) => s.name), [ORIGIN, witness.name]);

  let latest: Cosigned = first.record;
  for (const next of [6, 13, 16, 20]) {
    const a = ask(req(latest.size, consistencyProof(latest.size, next, l.source), l.checkpoint(next)), latest);
    assert.equal(brief(a), '200 cosigned', `${latest.size} → ${next}`);
    assert.ok(a.status === 200);
    latest = a.record;
  }
  assert.equal(brief(ask(req(20, [], l.checkpoint(20)), latest)), '200 cosigned', 'the same checkpoint again is cosigned again (a fresh timestamp)');
});

test('witness refusals: 409 with the size it has, 422 for a bad proof, 403 for a bad signature, 404 for an unknown log, 400 for old > new', () => {
  const l = log(20, logKeys);
  const latest: Cosigned = { size: 10, rootHash: l.root(10) };

  const stale = ask(req(6, consistencyProof(6, 15, l.source), l.checkpoint(15)), latest);
  assert.equal(brief(stale), '409 size_conflict');
  assert.equal(stale.contentType, 'text/x.tlog.size');
  assert.equal(stale.body, '10\n', 'the body tells the log which size to prove from');
  assert.equal(ask(req(0, [], l.checkpoint(15)), latest).body, '10\n', 'a log that knows nothing asks with old 0 and learns the size');
  assert.equal(brief(ask(req(10, [], l.checkpoint(15)), latest)), '422 bad_proof', 'no proof');
  assert.equal(brief(ask(req(10, consistencyProof(10, 14, l.source), l.checkpoint(15)), latest)), '422 bad_proof', 'a proof to another size');
  assert.equal(brief(ask(req(0, consistencyProof(10, 15, l.source), l.checkpoint(15)), undefined)), '422 bad_proof', 'from old 0 the proof must be empty');
  assert.equal(brief(ask(req(10, consistencyProof(10, 10, l.source).concat([l.root(10)]), l.checkpoint(10)), latest)), '422 bad_proof', 'equal sizes take an empty proof');
  assert.equal(brief(ask(req(16, [], l.checkpoint(15)), { size: 16, rootHash: l.root(16) })), '400 malformed', 'old size beyond the checkpoint');

  const forger = generateKeyPair();
  const forged = signCheckpoint({ origin: ORIGIN, size: 15, rootHash: l.root(15) }, [ed25519Signer(ORIGIN, forger)]);
  assert.equal(brief(ask(req(10, consistencyProof(10, 15, l.source), forged), latest)), '403 bad_signature', 'signed by another key under the log\'s name');
  const tampered = l.checkpoint(15).replace('\n15\n', '\n16\n');
  assert.equal(brief(ask(req(10, consistencyProof(10, 16, l.source), tampered), latest)), '403 bad_signature', 'a size changed after signing');
  const other = signCheckpoint({ origin: 'elsewhere.test/log', size: 1, rootHash: EMPTY_ROOT }, [ed25519Signer('elsewhere.test/log', logKeys)]);
  assert.equal(brief(ask(req(0, [], other), undefined)), '404 unknown_log');
  // Signed by the right key but for another origin than the one the keys were loaded for.
  const r = parseAddCheckpoint(req(0, [], other));
  assert.ok(r.ok);
  assert.equal(brief(addCheckpoint({ request: r.request, origin: ORIGIN, logKeys: [ed25519Verifier('elsewhere.test/log', rawPublicKey(logKeys))], latest: undefined, witness, time: NOW })), '400 malformed');
});

test('a checkpoint signed for a forked tree is refused: the witness keeps the signed evidence', () => {
  const honest = log(20, logKeys);
  const forked = log(20, logKeys, 7); // the same log key signs a tree whose entry 7 was rewritten
  const latest: Cosigned = { size: 10, rootHash: honest.root(10) };

  // The forked log proves consistency within its own history, which does not start at the root the witness cosigned.
  const a = ask(req(10, consistencyProof(10, 15, forked.source), forked.checkpoint(15)), latest);
  assert.equal(brief(a), '422 bad_proof');
  assert.ok(a.status === 422 && a.signed?.size === 15, 'the validly signed, inconsistent checkpoint is handed back for the record');
  // Borrowing the honest proof does not help: it leads to the honest root, not the forked one.
  assert.equal(brief(ask(req(10, consistencyProof(10, 15, honest.source), forked.checkpoint(15)), latest)), '422 bad_proof');
  // The forked tree at the very size the witness cosigned: same size, another root.
  const same = ask(req(10, [], forked.checkpoint(10)), latest);
  assert.equal(brief(same), '409 fork');
  assert.equal(same.body, '10\n');
  // A fork after the cosigned size is not detectable yet, and not a fork of what was cosigned: accepted.
  const later = log(20, logKeys, 12);
  assert.equal(brief(ask(req(10, consistencyProof(10, 15, later.source), later.checkpoint(15)), latest)), '200 cosigned');
});

test('a witness misconfigured with one log key twice fails loudly rather than guessing', () => {
  const l = log(3, logKeys);
  assert.throws(() => ask(req(0, [], l.checkpoint(3)), undefined, [logVerifier, logVerifier]), /witness configuration/);
  const request: AddCheckpoint = { oldSize: 0, proof: [], checkpoint: l.checkpoint(3) };
  assert.equal(formatAddCheckpoint(request), `old 0\n\n${l.checkpoint(3)}`);
});
