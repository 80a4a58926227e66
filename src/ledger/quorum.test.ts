import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyPairFromSeed } from '../documents/index.ts';
import { signCheckpoint, type Checkpoint } from './checkpoint.ts';
import { cosigner } from './cosignature.ts';
import { ed25519Signer, formatVerifierKey, rawPublicKey, readNote, SIGNATURE_TYPE, type NoteSigner } from './note.ts';
import { checkWitnessQuorum, witnessQuorum, type QuorumChecked } from './quorum.ts';

const ORIGIN = 'mitra.test/log';
const TIME = 1_754_000_000;
const logKey = keyPairFromSeed(new Uint8Array(32).fill(1));
const cp: Checkpoint = { origin: ORIGIN, size: 300, rootHash: new Uint8Array(32).fill(5) };

/** Witness `name` with the key of `seed`: its cosigner and its verifier key. */
function witness(name: string, seed: number) {
  const keys = keyPairFromSeed(new Uint8Array(32).fill(seed));
  return { name, cosign: (): NoteSigner => cosigner(name, keys, TIME), vkey: formatVerifierKey(name, SIGNATURE_TYPE.cosignatureEd25519, rawPublicKey(keys)) };
}
const audit = witness('witness.audit.test', 11);
const university = witness('witness.university.test', 12);
const newspaper = witness('witness.newspaper.test', 13);
const all = [audit.vkey, university.vkey, newspaper.vkey];

/** The checkpoint signed by the log and cosigned by `cosigners`. */
const cosigned = (...cosigners: NoteSigner[]) => signCheckpoint(cp, [ed25519Signer(ORIGIN, logKey), ...cosigners]);
/** The note with `extra` signature lines appended as written. */
const withLines = (note: string, ...extra: string[]) => note + extra.map((l) => `${l}\n`).join('');
/** The signature line of `signer` on another checkpoint than `cp`: a cosignature moved from elsewhere. */
const lineFromAnotherCheckpoint = (signer: NoteSigner) => {
  const read = readNote(signCheckpoint({ ...cp, size: 299 }, [signer]));
  assert.ok(read.ok);
  return `— ${signer.name} ${read.signatures[0]!.base64}`;
};
const outcome = (c: QuorumChecked) => (c.ok ? { ok: true, cosigned: c.cosigned } : 'cosigned' in c ? { code: c.code, cosigned: c.cosigned, missing: c.missing, invalid: c.invalid } : { code: c.code });

test('2 of 3: met by two witnesses, named in the order they were given', () => {
  const got = checkWitnessQuorum(cosigned(newspaper.cosign(), audit.cosign()), all, 2);
  assert.deepEqual(outcome(got), { ok: true, cosigned: ['witness.audit.test', 'witness.newspaper.test'] });
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(audit.cosign(), university.cosign(), newspaper.cosign()), all, 3)), { ok: true, cosigned: all.map((k) => k.split('+')[0]) });
});

test('2 of 3 with one cosignature: not met, and the message names who is missing', () => {
  const got = checkWitnessQuorum(cosigned(audit.cosign()), all, 2);
  assert.deepEqual(outcome(got), { code: 'witness_quorum_not_met', cosigned: ['witness.audit.test'], missing: ['witness.university.test', 'witness.newspaper.test'], invalid: [] });
  assert.ok(!got.ok);
  assert.equal(
    got.message,
    'the checkpoint is cosigned by 1 of 3 witnesses, 2 required; cosigned: witness.audit.test; no cosignature from witness.university.test, witness.newspaper.test',
  );
  // The log's own signature is no witness's.
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(), all, 1)), { code: 'witness_quorum_not_met', cosigned: [], missing: all.map((k) => k.split('+')[0]), invalid: [] });
});

test('a forged cosignature is not counted: one moved from another checkpoint, or bytes that are no signature', () => {
  const moved = withLines(cosigned(audit.cosign()), lineFromAnotherCheckpoint(university.cosign()));
  const got = checkWitnessQuorum(moved, all, 2);
  assert.deepEqual(outcome(got), { code: 'witness_quorum_not_met', cosigned: ['witness.audit.test'], missing: ['witness.newspaper.test'], invalid: ['witness.university.test'] });
  assert.match(got.ok ? '' : got.message, /a cosignature that does not verify from witness\.university\.test/);

  const keyId = Buffer.alloc(4);
  keyId.writeUInt32BE(newspaper.cosign().keyId);
  const garbage = Buffer.concat([keyId, Buffer.alloc(8 + 64, 1)]).toString('base64');
  assert.deepEqual(outcome(checkWitnessQuorum(withLines(cosigned(audit.cosign()), `— ${newspaper.name} ${garbage}`), all, 2)).invalid, ['witness.newspaper.test']);

  // A valid line next to the forged one still counts for that witness.
  assert.ok(checkWitnessQuorum(withLines(cosigned(audit.cosign(), university.cosign()), lineFromAnotherCheckpoint(university.cosign())), all, 2).ok);
});

test('an unknown witness is not counted, nor a known name with a key that was not given', () => {
  const stranger = witness('witness.stranger.test', 14);
  const impostor = witness(audit.name, 15); // claims the audit office's name, with its own key
  const got = checkWitnessQuorum(cosigned(stranger.cosign(), impostor.cosign(), university.cosign()), all, 2);
  assert.deepEqual(outcome(got), { code: 'witness_quorum_not_met', cosigned: ['witness.university.test'], missing: ['witness.audit.test', 'witness.newspaper.test'], invalid: [] });
  // Its plain Ed25519 signature (type 0x01) is not a cosignature either.
  const plain = ed25519Signer(audit.name, keyPairFromSeed(new Uint8Array(32).fill(11)));
  assert.equal(checkWitnessQuorum(cosigned(plain, university.cosign()), all, 2).ok, false);
});

test('the same witness counts once: a line repeated, a key given twice, two keys of one witness', () => {
  const note = cosigned(audit.cosign());
  const line = note.trimEnd().split('\n').at(-1)!;
  assert.deepEqual(outcome(checkWitnessQuorum(withLines(note, line, line), all, 2)).cosigned, ['witness.audit.test']);
  assert.equal(checkWitnessQuorum(withLines(note, line), all, 2).ok, false);

  assert.deepEqual(outcome(checkWitnessQuorum(note, [audit.vkey, audit.vkey, university.vkey], 1)), { ok: true, cosigned: ['witness.audit.test'] });
  assert.equal(checkWitnessQuorum(note, [audit.vkey, audit.vkey, university.vkey], 3).ok, false, 'two witnesses, not three');

  const rotated = witness(audit.name, 16); // the audit office's next key, given while it rotates
  const both = cosigned(audit.cosign(), rotated.cosign());
  const got = checkWitnessQuorum(both, [audit.vkey, rotated.vkey, university.vkey], 2);
  assert.deepEqual(outcome(got), { code: 'witness_quorum_not_met', cosigned: ['witness.audit.test'], missing: ['witness.university.test'], invalid: [] });
});

test('k greater than the number of witnesses, or not a whole number, is a usage error; so is a key that is not a witness key', () => {
  for (const [keys, k] of [
    [all, 4],
    [[audit.vkey, audit.vkey], 2],
    [[], 1],
    [all, -1],
    [all, 1.5],
  ] as const) {
    const got = checkWitnessQuorum(cosigned(audit.cosign()), keys, k);
    assert.deepEqual(outcome(got), { code: 'quorum_out_of_range' }, `${keys.length} keys, k = ${k}`);
  }
  const read = witnessQuorum(all, 4);
  assert.ok(!read.ok);
  assert.equal(read.message, 'a quorum of 4 cannot be met by 3 witnesses');

  const logVkey = formatVerifierKey(ORIGIN, SIGNATURE_TYPE.ed25519, rawPublicKey(logKey));
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(), [logVkey], 1)), { code: 'bad_witness_key' });
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(), ['nonsense'], 0)), { code: 'bad_witness_key' });
});

test('k = 0 asks nothing; a note that is not a signed note is malformed', () => {
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(), [], 0)), { ok: true, cosigned: [] });
  assert.deepEqual(outcome(checkWitnessQuorum(cosigned(university.cosign()), all, 0)), { ok: true, cosigned: ['witness.university.test'] });
  assert.deepEqual(outcome(checkWitnessQuorum('mitra.test/log\n300\n', all, 1)), { code: 'malformed' });
});
