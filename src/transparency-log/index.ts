// The public ledger as it runs: entries queued with the changes they record, sequenced in batches
// into the Merkle log of ../ledger (pure), stored in the database, served as C2SP tlog-tiles; and
// outside it: the auditor that checks it from its tiles, the witness that cosigns its checkpoints.
export { certificatePayloadHash, entryBytes, readEntry, sha256Hex, type EntryKind, type EntryRead, type LedgerEntry } from './entries.ts';
export { recordInLedger } from './queue.ts';
export { createSequencer, openLedger, sequenceBatch, type LogIdentity, type Sequenced } from './sequencer.ts';
export { consistencyProofOf, DEFAULT_TILE_CACHE, entryBundle, inclusionProofOf, latestCheckpoint, setTileCache, tileCacheStats, tileHashes } from './read.ts';
export { ledgerRoutes } from './http.ts';
export { checkIssueProof, LEDGER_PROOF_FILE, type IssueProofChecked } from './issue-proof.ts';
export { directoryAnchor, type LedgerAnchor } from './anchor.ts';
export { auditLog, type AuditInput, type AuditOutcome, type AuditReport, type WitnessSeen } from './audit.ts';
export { httpFetcher, logPrefix, type Fetched, type LogFetcher } from './audit-fetch.ts';
export { formatAuditState, parseAuditState, stateFileName, emptyTally, ENTRY_KINDS, type AuditState, type AuditStateRead, type Tally, type Tallies } from './audit-state.ts';
export { walkTiles, type AuditCode, type AuditProblem } from './audit-tiles.ts';
export { writeFileAtomic, lockFile } from './atomic-file.ts';
export { createWitnessServer, witnessHandler, type WitnessConfig, type WitnessEvent } from './witness-server.ts';
export { openWitnessStore, type WitnessRecord, type WitnessStore } from './witness-store.ts';
export { generateWitnessKey, parseWitnessKey, witnessVerifierKey, type WitnessKey } from './witness-key.ts';
export { witnessClient, withCosignatures, type WitnessClient, type WitnessEndpoint, type WitnessOutcome, type Cosignatures, type CosignCode, type ConsistencyProofFrom } from './witness-client.ts';
