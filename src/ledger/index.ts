// The ledger's pure core: RFC 6962 Merkle trees, C2SP signed notes, checkpoints, tiles, cosignatures,
// the witness decision and the witness quorum. No database, no HTTP, no clock: storage hands in hashes
// (HashSource), the caller hands in the time. Formats as implemented: docs/ledger.md.
export { leafHash, nodeHash, splitPoint, rootFromInclusion, verifyInclusion, verifyConsistency, EMPTY_ROOT, HASH_SIZE, type Hash, type MerkleCode, type Verified, type RootFound } from './merkle.ts';
export { appendLeaf, appendLeaves, frontierRoot, frontierNodes, frontierOf, rangeNodes, rootOf, EMPTY_FRONTIER, type Frontier, type NodeId, type StoredNode } from './frontier.ts';
export {
  memorySource,
  rangeHash,
  rootAt,
  inclusionRanges,
  consistencyRanges,
  inclusionNodes,
  consistencyNodes,
  inclusionProof,
  consistencyProof,
  nodesOf,
  type HashSource,
  type LeafRange,
} from './proofs.ts';
export {
  signNote,
  signatureLines,
  readNote,
  openNote,
  keyIdOf,
  isKeyName,
  ed25519Signer,
  ed25519Verifier,
  formatVerifierKey,
  parseVerifierKey,
  SIGNATURE_TYPE,
  MAX_SIGNATURES,
  type NoteSigner,
  type NoteVerifier,
  type NoteSignature,
  type NoteCode,
  type NoteRead,
  type NoteOpened,
  type VerifierKey,
  type VerifierKeyRead,
} from './note.ts';
export { verifierFromKey, type VerifierFromKey } from './verifier-key.ts';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, openCheckpoint, claimedOrigin, type Checkpoint, type CheckpointCode, type CheckpointRead, type CheckpointOpened } from './checkpoint.ts';
export { cosigner, cosignatureVerifier, cosignedMessage, cosignerKeyId, cosignatureTime } from './cosignature.ts';
export {
  tileIndexPath,
  tilePath,
  parseTilePath,
  tileWidth,
  tilesOfTree,
  tilesToWrite,
  bundlesToWrite,
  nodeInTile,
  tilesFor,
  tileHashes,
  tileBytes,
  tileSource,
  encodeEntryBundle,
  parseEntryBundle,
  TILE_HEIGHT,
  TILE_WIDTH,
  MAX_ENTRY_BYTES,
  type Tile,
  type TilePathRead,
  type BundleRead,
} from './tiles.ts';
export { parseAddCheckpoint, formatAddCheckpoint, addCheckpoint, MAX_PROOF_LINES, type AddCheckpoint, type AddCheckpointRead, type Cosigned, type WitnessAnswer, type WitnessCode, type WitnessInput } from './witness.ts';
export { witnessQuorum, checkWitnessQuorum, meetsQuorum, type WitnessQuorum, type WitnessQuorumCode, type WitnessQuorumRead, type QuorumTally, type QuorumCode, type QuorumChecked } from './quorum.ts';
export { formatTlogProof, parseTlogProof, checkTlogProof, type TlogProof, type TlogProofRead, type TlogProofChecked } from './tlog-proof.ts';
