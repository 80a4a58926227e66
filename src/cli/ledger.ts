import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SIGNATURE_TYPE, verifierFromKey, witnessQuorum } from '../ledger/index.ts';
import { auditLog, type AuditReport } from '../transparency-log/audit.ts';
import { httpFetcher, logPrefix } from '../transparency-log/audit-fetch.ts';
import { ENTRY_KINDS, formatAuditState, parseAuditState, stateFileName, type Tallies } from '../transparency-log/audit-state.ts';
import { readTextIfExists, writeFileAtomic } from '../transparency-log/atomic-file.ts';
import type { Command } from './index.ts';
import { commandLine } from './command-line.ts';

const USAGE = [
  'usage: mitra ledger audit <url> [--log-key VKEY] [--witness VKEY]... [--min-witnesses K] [--state FILE] [--json]',
  '                         [--timeout SECONDS]',
  '',
  "  <url>        the log's prefix, where its checkpoint is: https://<mitra>/ledger",
  "  --log-key    the log's verifier key, name+hash+base64 (or a file holding it), as published apart from",
  '               the log. Without it the key pinned by the last audit is used; on a first audit, the key',
  '               the log serves at <url>/log-key, with a warning.',
  "  --witness    a witness's cosignature key, name+hash+base64 (or a file holding it; repeatable): its",
  '               cosignature is checked',
  '  --min-witnesses  refuse the checkpoint unless at least K of the --witness witnesses (told apart by',
  '               name) have validly cosigned it (default 0: none required). A quorum guards against a log',
  '               showing different people different logs (a split view).',
  '  --state      what the last audit saw (default ~/.mitra-audit/<origin>.json); a run fetches only what',
  '               is new since then, and saves the new state when everything holds',
  '  --json       print a machine-readable report',
  '  --timeout    seconds to wait for each file (default 30)',
  '',
  'Checks the log signature, the cosignatures of the witnesses given (and their quorum), every entry',
  'against its leaf hash, every tile, the root, and that the log only grew since the last audit; lists',
  'entries per department.',
  'Exit status: 0 when everything holds; 1 when something does not, or the log cannot be read (the code',
  'and the entry or file at fault are printed); 2 on a usage error.',
].join('\n');

const { say, usage, parse } = commandLine('ledger', USAGE);

export const ledgerCommand: Command = {
  summary: 'audit the public ledger: every entry, tile, signature and checkpoint, from any copy of it',
  usage: USAGE,
  async run(args) {
    const parsed = parse(args, {
      'log-key': { type: 'string' },
      witness: { type: 'string', multiple: true, default: [] },
      'min-witnesses': { type: 'string', default: '0' },
      state: { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '30' },
    });
    if (!parsed) return 2;
    const [sub, url, ...extra] = parsed.positionals;
    if (sub !== 'audit') return usage('the subcommand is `audit`');
    if (!url || extra.length) return usage("give exactly one URL: the log's prefix");
    const prefix = logPrefix(url);
    if (!prefix) return usage(`${url} is not an http(s) URL`);
    const v = parsed.values;
    const timeout = Number(v.timeout);
    if (!(timeout > 0 && timeout <= 3600)) return usage('--timeout is a number of seconds, up to 3600');

    const logKey = v['log-key'] === undefined ? undefined : keyArgument(v['log-key']);
    if (logKey !== undefined) {
      const k = verifierFromKey(logKey);
      if (!k.ok || k.type !== SIGNATURE_TYPE.ed25519) return usage(`--log-key: ${k.ok ? 'not an Ed25519 signing key (type 0x01)' : k.message}`);
    }
    const witnessKeys = v.witness.map(keyArgument);
    for (const w of witnessKeys) {
      const k = verifierFromKey(w);
      if (!k.ok || k.type !== SIGNATURE_TYPE.cosignatureEd25519) return usage(`--witness ${w}: ${k.ok ? 'not a cosignature key (type 0x04)' : k.message}`);
    }

    if (!/^\d{1,6}$/.test(v['min-witnesses'])) return usage('--min-witnesses is a whole number of witnesses, 0 or more');
    const minWitnesses = Number(v['min-witnesses']);
    const quorum = witnessQuorum(witnessKeys, minWitnesses);
    if (!quorum.ok) return usage(`--min-witnesses ${minWitnesses}: ${quorum.message}; give each witness's key with --witness`);

    let stateFile = v.state;
    const outcome = await auditLog({
      fetch: httpFetcher(prefix, { timeoutMs: timeout * 1000 }),
      logKey,
      witnessKeys,
      minWitnesses,
      now: new Date(),
      async loadState(origin) {
        stateFile ??= join(homedir(), '.mitra-audit', stateFileName(origin));
        const text = await readTextIfExists(stateFile);
        if (text === undefined) return undefined;
        const read = parseAuditState(text);
        return read.ok ? read : { ...read, message: `${stateFile}: ${read.message}` };
      },
    });
    for (const w of outcome.ok ? outcome.report.warnings : outcome.warnings) say(`warning: ${w}`);
    if (!outcome.ok) {
      const { ok: _, ...rest } = outcome;
      if (v.json) console.log(JSON.stringify({ ok: false, url: prefix.href, ...rest }, null, 2));
      say(`${outcome.code}: ${outcome.message}`);
      return 1;
    }
    try {
      await writeFileAtomic(stateFile!, formatAuditState(outcome.state));
    } catch (err) {
      say(`the audit holds, but its state could not be saved to ${stateFile}: ${(err as Error).message}`);
      return 1;
    }
    if (v.json) console.log(JSON.stringify({ ok: true, url: prefix.href, stateFile, ...outcome.report }, null, 2));
    else console.log(describe(outcome.report, stateFile!));
    return 0;
  },
};

/** A key given on the command line, or the first line of a file holding it. */
function keyArgument(value: string): string {
  return !value.includes('+') && existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
}

const KEY_SOURCE = { given: 'given', state: 'pinned by the last audit', served: 'as served by the log: not pinned' } as const;

function describe(r: AuditReport, stateFile: string): string {
  const lines = [`Ledger ${r.origin}: ${r.size} entries, root ${r.rootHash}`];
  lines.push(
    r.previousSize === null
      ? `  first audit: all ${r.newEntries} entries checked; fetched ${r.fetched.files} files (${kb(r.fetched.bytes)})`
      : `  ${r.newEntries} new entries checked since the last audit at ${r.previousSize}; fetched ${r.fetched.files} files (${kb(r.fetched.bytes)})`,
  );
  lines.push(`  log key ${r.logKey} (${KEY_SOURCE[r.logKeySource]})`);
  const w = r.witnesses.map((s) => `${s.name}+${s.keyId} ${s.status === 'cosigned' ? `cosigned ${s.time ?? ''}`.trim() : s.status === 'missing' ? 'did not cosign' : 'not checked (no key given)'}`);
  lines.push(`  witnesses: ${w.length ? w.join('; ') : 'none'}`);
  if (r.quorum) lines.push(`  witness quorum: ${r.quorum.required} required, met by ${r.quorum.cosigned.length} (${r.quorum.cosigned.join(', ')})`);
  lines.push('', ...table(r.departments), '');
  lines.push(`All holds: every entry hashes into the signed root${r.previousSize === null ? '' : ', and the log only grew since the last audit'}. State: ${stateFile}`);
  return lines.join('\n');
}

const HEADINGS = ['department', 'certs issued', 'certs revoked', 'keys added', 'keys retired', 'keys revoked', 'decisions'];

function table(t: Tallies): string[] {
  const depts = Object.keys(t);
  if (!depts.length) return ['(no entries yet)'];
  const rows = depts.map((d) => [d, ...ENTRY_KINDS.map((k) => String(t[d]![k]))]);
  rows.push(['all', ...ENTRY_KINDS.map((k) => String(depts.reduce((n, d) => n + t[d]![k], 0)))]);
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(HEADINGS), ...rows.map(line)];
}

const kb = (bytes: number) => (bytes < 10_000 ? `${bytes} B` : `${Math.round(bytes / 1024)} KiB`);
