import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isKeyName, SIGNATURE_TYPE, verifierFromKey, type NoteVerifier } from '../ledger/index.ts';
import { createLogger } from '../platform/index.ts';
import { generateWitnessKey, parseWitnessKey } from '../transparency-log/witness-key.ts';
import { createWitnessServer } from '../transparency-log/witness-server.ts';
import { openWitnessStore } from '../transparency-log/witness-store.ts';
import type { Command } from './index.ts';
import { commandLine } from './command-line.ts';

const DEFAULT_PORT = 7380;

const USAGE = [
  'usage: mitra witness --name NAME --key FILE --log ORIGIN=VKEY [--log ORIGIN=VKEY]... [--port N] [--host HOST] [--state FILE]',
  '       mitra witness keygen --name NAME [--out FILE]',
  '',
  'Runs a transparency log witness (c2sp.org/tlog-witness): POST /add-checkpoint cosigns a checkpoint',
  'of a log it follows when it extends the last one it cosigned, and refuses it otherwise.',
  '',
  "  --name    the witness's name, as in its key file (e.g. witness.audit.example.gov.in)",
  '  --key     the key file `mitra witness keygen` wrote (PRIVATE+KEY+…); keep it secret',
  "  --log     a log to follow: its origin and the verifier key of its checkpoints (Ed25519), e.g.",
  '            --log mitra.ap.gov.in/ledger=mitra.ap.gov.in/ledger+1a2b3c4d+AX…; repeat it for more logs,',
  '            or for a second key of one log while it rotates',
  `  --port    default ${DEFAULT_PORT}; 0 picks a free port`,
  '  --host    the address to listen on (default: every interface)',
  '  --state   the latest checkpoint cosigned per log (default ~/.mitra-witness/<name>.json); one',
  '            process at a time uses it. Losing it lets the witness be fooled once more (trust on first use).',
  '',
  'keygen makes a key: with --out it writes the key file (mode 600) and prints the verifier key; without,',
  'it prints the key file on standard output and the verifier key on standard error. Give the verifier',
  'key (name+hash+base64, type 0x04) to the logs that ask this witness and to auditors.',
].join('\n');

const { say, usage, parse } = commandLine('witness', USAGE);

export const witnessCommand: Command = {
  summary: 'run a transparency log witness, which cosigns only checkpoints consistent with the last',
  usage: USAGE,
  async run(args) {
    const parsed = parse(args, {
      name: { type: 'string' },
      key: { type: 'string' },
      log: { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string' },
      state: { type: 'string' },
      out: { type: 'string' },
    });
    if (!parsed) return 2;
    const v = parsed.values;
    const [sub, ...extra] = parsed.positionals;
    if (extra.length || (sub !== undefined && sub !== 'keygen')) return usage('the only subcommand is `keygen`');
    if (!v.name) return usage('--name is required');
    if (!isKeyName(v.name)) return usage(`--name "${v.name}" cannot be a key name (no spaces, no "+")`);

    if (sub === 'keygen') {
      const made = generateWitnessKey(v.name);
      if (!v.out) {
        process.stdout.write(made.keyFile);
        say(`verifier key (give it to the logs and auditors): ${made.vkey}`);
        return 0;
      }
      try {
        writeFileSync(v.out, made.keyFile, { mode: 0o600, flag: 'wx' });
      } catch (err) {
        say(`cannot write ${v.out}: ${(err as Error).message}`);
        return 1;
      }
      console.log(made.vkey);
      return 0;
    }

    if (!v.key) return usage('--key is required (make one with `mitra witness keygen --name NAME --out FILE`)');
    if (!v.log.length) return usage('give at least one --log ORIGIN=VKEY');
    const logs = new Map<string, NoteVerifier[]>();
    for (const spec of v.log) {
      const eq = spec.indexOf('=');
      const origin = spec.slice(0, eq);
      const k = eq > 0 ? verifierFromKey(spec.slice(eq + 1)) : undefined;
      if (!k) return usage(`--log ${spec}: write it ORIGIN=VKEY`);
      if (!k.ok) return usage(`--log ${spec}: ${k.message}`);
      if (k.type !== SIGNATURE_TYPE.ed25519) return usage(`--log ${spec}: a log's checkpoint key is Ed25519 (type 0x01)`);
      logs.set(origin, [...(logs.get(origin) ?? []), k.verifier]);
    }
    const port = Number(v.port);
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) return usage('--port is a port number');

    let text: string;
    try {
      text = readFileSync(v.key, 'utf8');
    } catch (err) {
      say(`cannot read the key file: ${(err as Error).message}`);
      return 1;
    }
    const key = parseWitnessKey(text);
    if (!key.ok) {
      say(`${v.key}: ${key.message}`);
      return 1;
    }
    if (key.name !== v.name) {
      say(`${v.key} is the key of "${key.name}", not "${v.name}": a key serves one witness name only`);
      return 1;
    }

    const stateFile = v.state ?? join(homedir(), '.mitra-witness', `${v.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
    const opened = await openWitnessStore(stateFile);
    if (!opened.ok) {
      say(opened.message);
      return 1;
    }
    const { store } = opened;
    const log = createLogger(process.env.LOG_LEVEL ?? 'info');
    const server = createWitnessServer({
      name: v.name,
      keyPair: key.keyPair,
      logs,
      store,
      onAnswer(e) {
        if (e.status === 200) log.info({ origin: e.origin, size: e.size }, 'cosigned');
        else if (e.evidence) log.warn({ ...e }, 'refused a checkpoint the log signed: keep it, it may show a fork');
        else log.info({ ...e }, 'refused');
      },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, v.host, () => resolve());
      });
    } catch (err) {
      say(`cannot listen on port ${port}: ${(err as Error).message}`);
      await store.close();
      return 1;
    }
    const { address, port: bound } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    say(`${v.name} listening on http://${host}:${bound}/ (POST /add-checkpoint)`);
    say(`verifier key: ${key.vkey}`);
    say(`follows: ${[...logs.keys()].join(', ')}; state: ${stateFile}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // Requests under way finish (their records are stored before they answer); then the lock goes.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const stragglers = setTimeout(() => server.closeAllConnections(), 5000);
    await closed;
    clearTimeout(stragglers);
    await store.close();
    return 0;
  },
};
