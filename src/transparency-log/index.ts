// The public ledger as it runs: entries queued with the changes they record, sequenced in batches
// into the Merkle log of ../ledger (pure), stored in the database, served as C2SP tlog-tiles.
export { entryBytes, readEntry, sha256Hex, type EntryKind, type EntryRead, type LedgerEntry } from './entries.ts';
export { recordInLedger } from './queue.ts';
export { createSequencer, openLedger, sequenceBatch, type LogIdentity, type Sequenced } from './sequencer.ts';
export { consistencyProofOf, entryBundle, inclusionProofOf, latestCheckpoint, tileHashes } from './read.ts';
export { ledgerRoutes } from './http.ts';
export { checkIssueProof, LEDGER_PROOF_FILE, type IssueProofChecked } from './issue-proof.ts';
export { directoryAnchor, type LedgerAnchor } from './anchor.ts';
