import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair, keyPairFromSeed } from '../documents/index.ts';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.ts';
import { cosigner, cosignatureVerifier } from './cosignature.ts';
import { ed25519Signer, ed25519Verifier, formatVerifierKey, keyIdOf, openNote, rawPublicKey, readNote, signNote, SIGNATURE_TYPE, type NoteOpened } from './note.ts';
import { verifierFromKey } from './verifier-key.ts';

// The signed-note example of golang.org/x/mod/sumdb/note: the package documentation ("Example") and
// note_test.go (TestSign, TestOpen, TestVerifierList, TestNewVerifier). C2SP signed-note is that format,
// so a note Mitra signs must be byte-identical to Go's and Go's notes must open here.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

const verifier = (vkey: string) => {
  const v = verifierFromKey(vkey);
  assert.ok(v.ok, v.ok ? '' : v.message);
  return v.verifier;
};
const peter = verifier(PETER_VKEY);
const enoch = verifier(ENOCH_VKEY);
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);
const names = (r: NoteOpened) => (r.ok ? { verified: r.verified.map((s) => s.name), unverified: r.unverified.map((s) => s.base64.slice(0, 8)) } : r.code);
/** Inserts "ABCD" into a signature line's base64, 43 characters in (Go's test does it at byte 60 of the line). */
const corrupt = (line: string) => {
  const at = line.indexOf(' ', 2) + 1 + 43;
  return line.slice(0, at) + 'ABCD' + line.slice(at);
};

test('the Go sumdb/note example: the PeterNeumann note opens with its verifier key', () => {
  const r = openNote(TEXT + '\n' + PETER_SIG, [peter]);
  assert.ok(r.ok);
  assert.equal(r.text, TEXT);
  assert.deepEqual(r.verified, [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: PETER_SIG.slice(15, -1) }]);
});

test('signing the example text with the example key (seed from its PRIVATE+KEY string) gives Go\'s note byte for byte', () => {
  const raw = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64');
  assert.equal(raw[0], SIGNATURE_TYPE.ed25519);
  const keys = keyPairFromSeed(raw.subarray(1));
  const signer = ed25519Signer('PeterNeumann', keys);
  assert.equal(signer.keyId, 0xc74f20a3);
  assert.equal(formatVerifierKey('PeterNeumann', SIGNATURE_TYPE.ed25519, rawPublicKey(keys)), PETER_VKEY);
  assert.equal(signNote(TEXT, [signer]), TEXT + '\n' + PETER_SIG, 'Ed25519 is deterministic: same key, same text, same bytes');
  // Go's TestSign: signing again replaces the key's old signature rather than adding a second one.
  assert.equal(signNote(TEXT, [signer], [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADSIGN=' }]), TEXT + '\n' + PETER_SIG);
  assert.throws(() => signNote('abc', [signer]), TypeError, 'a note text ends in a newline');
  assert.throws(() => signNote(TEXT, [{ ...signer, name: 'bad name' }]), TypeError);
});

test('multiple signatures (the doubly signed note of the package docs): unknown signers are kept aside, one known signature is required', () => {
  const note = TEXT + '\n' + PETER_SIG + ENOCH_SIG;
  assert.deepEqual(names(openNote(note, [peter])), { verified: ['PeterNeumann'], unverified: ['rwz+eBzm'] });
  assert.deepEqual(names(openNote(note, [peter, enoch])), { verified: ['PeterNeumann', 'EnochRoot'], unverified: [] });
  assert.equal(codeOf(openNote(note, [])), 'no_trusted_signature');
  const stranger = ed25519Verifier('PeterNeumann', rawPublicKey(generateKeyPair()));
  assert.equal(codeOf(openNote(note, [stranger])), 'no_trusted_signature', 'same name, other key ID: unknown, ignored');
  // A known key repeated in the list is a broken configuration, reported once it matters.
  assert.equal(codeOf(openNote(TEXT + '\n' + ENOCH_SIG, [enoch, peter, enoch])), 'ambiguous_key');
  assert.equal(codeOf(openNote(TEXT + '\n' + PETER_SIG, [enoch, peter, enoch])), 'ok');
  // Repeats are dropped: the known key's second line, identical unknown lines; a different unknown line stays.
  const r = openNote(TEXT + '\n' + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + corrupt(ENOCH_SIG), [peter]);
  assert.ok(r.ok);
  assert.equal(r.verified.length, 1);
  assert.equal(r.unverified.length, 2);
});

test('a bad signature from a known key rejects the note; a tampered text does too', () => {
  assert.equal(codeOf(openNote(TEXT + '\n' + corrupt(PETER_SIG), [peter])), 'bad_signature');
  assert.equal(codeOf(openNote(TEXT.replace('cryptography', 'cryptographY') + '\n' + PETER_SIG, [peter])), 'bad_signature');
  assert.equal(codeOf(openNote(TEXT + '\n' + PETER_SIG + corrupt(PETER_SIG), [peter])), 'ok', 'Go verifies only the first line of a known key');
});

test('malformed notes are refused before any signature is checked (Go TestOpen\'s list, and more)', () => {
  const bad: (string | Uint8Array)[] = [
    TEXT,
    TEXT + '\n',
    TEXT + '\n' + PETER_SIG.slice(0, -1),
    '\x01' + TEXT + '\n' + PETER_SIG,
    Buffer.concat([Buffer.from([0xff]), Buffer.from(TEXT + '\n' + PETER_SIG)]),
    TEXT + '\n' + '— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
    TEXT + '\n' + PETER_SIG + 'Unexpected line.\n',
    TEXT + '\n' + PETER_SIG.repeat(101),
    TEXT + '\n' + PETER_SIG.replace('— ', '-- '),
    TEXT + '\n' + PETER_SIG.replace('AM=', 'AN='),
    TEXT + '\n' + '— PeterNeumann x08g\n',
    TEXT + '\n' + '— PeterNeumann\n',
    TEXT.replace('\n', '\r\n') + '\n' + PETER_SIG,
  ];
  for (const msg of bad) assert.equal(codeOf(openNote(msg, [peter])), 'malformed', JSON.stringify(typeof msg === 'string' ? msg.slice(-60) : 'bytes'));
  assert.equal(codeOf(openNote(TEXT + '\n' + PETER_SIG.repeat(100), [peter])), 'ok', 'up to 100 signatures');
  // The text may hold blank lines: the signatures begin after the last one.
  const withBlank = signNote('a\n\nb\n', [ed25519Signer('PeterNeumann', keyPairFromSeed(new Uint8Array(32)))]);
  const read = readNote(withBlank);
  assert.ok(read.ok && read.text === 'a\n\nb\n');
});

test('verifier keys: Go\'s key parses and every mangling of it is refused (TestNewVerifier)', () => {
  assert.equal(verifierFromKey(PETER_VKEY).ok, true);
  for (let i = 0; i <= PETER_VKEY.length; i++) {
    for (let j = i + 1; j <= PETER_VKEY.length; j++) {
      if (i === 0 && j === PETER_VKEY.length) continue;
      assert.equal(verifierFromKey(PETER_VKEY.slice(i, j)).ok, false, PETER_VKEY.slice(i, j));
    }
  }
  for (let i = 0; i < PETER_VKEY.length; i++) {
    const bent = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
    assert.equal(verifierFromKey(bent).ok, false, bent);
  }
  assert.equal(codeOf(verifierFromKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')), 'malformed_key', 'wrong length key');
  assert.equal(codeOf(verifierFromKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')), 'unsupported_type', 'unknown algorithm, with adjusted key hash');
  assert.equal(codeOf(verifierFromKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')), 'key_id_mismatch');
  // transparency-dev/formats note_cosigv1_test.go: an Ed25519 (0x01) key and a witness's cosignature (0x04) key.
  const plain = verifierFromKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
  const cosig = verifierFromKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
  assert.ok(plain.ok && plain.type === 0x01 && plain.verifier.keyId === 0x7997405c);
  assert.ok(cosig.ok && cosig.type === 0x04 && cosig.verifier.keyId === 0xda77ade7);
});

test('key IDs: SHA-256(name || 0x0A || type || public key)[:4], so a key has another ID as a cosigner', () => {
  const keys = generateKeyPair();
  const pub = rawPublicKey(keys);
  assert.equal(ed25519Signer('mitra.test/log', keys).keyId, keyIdOf('mitra.test/log', 0x01, pub));
  assert.equal(cosigner('mitra.test/log', keys, 0).keyId, keyIdOf('mitra.test/log', 0x04, pub));
  assert.notEqual(keyIdOf('mitra.test/log', 0x01, pub), keyIdOf('mitra.test/log', 0x04, pub));
  assert.equal(cosignatureVerifier('w', pub).keyId, verifier(formatVerifierKey('w', 0x04, pub)).keyId);
});

const ROOT = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');

test('checkpoints: the tlog-checkpoint example text reads back, and formatting writes it the same way', () => {
  // The example of c2sp.org/tlog-checkpoint (and of tlog-witness and tlog-cosignature).
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const r = parseCheckpoint(text);
  assert.ok(r.ok);
  assert.equal(r.checkpoint.origin, 'example.com/behind-the-sofa');
  assert.equal(r.checkpoint.size, 20852163);
  assert.deepEqual(Buffer.from(r.checkpoint.rootHash), ROOT);
  assert.equal(formatCheckpoint(r.checkpoint), text);
  const ext = parseCheckpoint(text + 'extension one\nextension two\n');
  assert.ok(ext.ok);
  assert.deepEqual(ext.checkpoint.extensions, ['extension one', 'extension two']);
  assert.equal(formatCheckpoint(ext.checkpoint), text + 'extension one\nextension two\n');
  assert.equal(parseCheckpoint('o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n').ok, true, 'the empty tree is size 0');
  for (const bad of [
    'o\n5\n',
    'o\n5',
    '\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n-5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n 5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n18446744073709551615\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n',
    'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n', // non-canonical: J leaves a bit set past the last byte
    'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n',
    'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n',
    'o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n',
  ]) {
    assert.equal(codeOf(parseCheckpoint(bad)), 'malformed_checkpoint', JSON.stringify(bad));
  }
});

test('signed checkpoints: the log signs under its origin, witnesses add cosignatures, each reader trusts the keys it knows', () => {
  const origin = 'mitra.test/log';
  const log = generateKeyPair();
  const w1 = generateKeyPair();
  const w2 = generateKeyPair();
  const c = { origin, size: 42, rootHash: ROOT };
  const signed = signCheckpoint(c, [ed25519Signer(origin, log)]);
  const logKey = ed25519Verifier(origin, rawPublicKey(log));
  const opened = openCheckpoint(signed, [logKey], { origin });
  assert.ok(opened.ok);
  assert.equal(opened.checkpoint.size, 42);
  assert.equal(codeOf(openCheckpoint(signed, [logKey], { origin: 'mitra.test/other' })), 'wrong_origin');
  assert.equal(codeOf(openCheckpoint(signed.replace('\n42\n', '\n43\n'), [logKey])), 'bad_signature', 'a size changed after signing');
  assert.equal(codeOf(openCheckpoint(signed, [ed25519Verifier(origin, rawPublicKey(w1))])), 'no_trusted_signature');

  const cosigned = signCheckpoint(c, [cosigner('w1.test', w1, 1_750_000_000), cosigner('w2.test', w2, 1_750_000_001)], opened.verified);
  assert.equal(cosigned.split('\n— ').length, 4, 'the log signature and two cosignatures');
  const asLog = openCheckpoint(cosigned, [logKey]);
  assert.ok(asLog.ok && asLog.verified.length === 1 && asLog.unverified.length === 2, 'cosignatures do not disturb a reader who only knows the log');
  const asWitnessed = openCheckpoint(cosigned, [logKey, cosignatureVerifier('w1.test', rawPublicKey(w1)), cosignatureVerifier('w2.test', rawPublicKey(w2))]);
  assert.ok(asWitnessed.ok);
  assert.deepEqual(asWitnessed.verified.map((s) => s.name), [origin, 'w1.test', 'w2.test']);
  assert.equal(codeOf(openCheckpoint(cosigned, [ed25519Verifier('w1.test', rawPublicKey(w1))])), 'no_trusted_signature', 'a cosignature is not a plain note signature');
});
