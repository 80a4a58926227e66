import { readFileSync } from 'node:fs';
import { addDepartmentKey, departmentKeys, publishTrustList, revokeDepartmentKey, rootKeyOf } from '../certificates/index.ts';
import { generateKeyPair, type KeyPair } from '../documents/index.ts';
import { migrate, signingKeySecret, trustRootSeed, type Config } from '../platform/index.ts';
import { openConfiguredDb } from './database.ts';
import type { Command } from './index.ts';
import { commandLine } from './command-line.ts';

const USAGE = [
  'usage: mitra keys list [--json]',
  '       mitra keys create --department CODE [--days N]   a new signing key; the department\'s current one is retired',
  '       mitra keys rotate --department CODE [--days N]   the same: what the old key signed stays valid',
  '       mitra keys revoke --kid KID --reason TEXT        for a compromised key: everything it signed stops verifying',
  '       mitra keys publish                               sign the trust list of every key with the root key',
  '       mitra keys root                                  make a new root key (prints its seed and public key)',
  '',
  'create, rotate and revoke publish a new trust list when the root key is at hand: --root-key FILE',
  '(a file holding the seed), or TRUST_ROOT_KEY, or with the simulator the one in DATA_DIR. Keep the root',
  'key offline in production: run `mitra keys publish --root-key FILE` from the machine that holds it.',
  'Private keys are sealed in the database under SIGNING_KEY_SECRET. Uses DATABASE_URL, or the',
  'embedded database in DATA_DIR/pglite (stop the server first).',
].join('\n');

const { say, usage, parse, config: configFromEnv } = commandLine('keys', USAGE);
const SUBCOMMANDS = ['list', 'create', 'rotate', 'revoke', 'publish', 'root'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

export const keysCommand: Command = {
  summary: 'make, rotate and revoke department signing keys; publish the trust list',
  usage: USAGE,
  async run(args) {
    const parsed = parse(args, { department: { type: 'string' }, days: { type: 'string' }, kid: { type: 'string' }, reason: { type: 'string' }, 'root-key': { type: 'string' }, json: { type: 'boolean', default: false } });
    if (!parsed) return 2;
    const [sub, ...extra] = parsed.positionals;
    if (!SUBCOMMANDS.includes(sub as Sub) || extra.length) return usage(`the subcommand is one of ${SUBCOMMANDS.join(', ')}`);
    const v = parsed.values;
    if (sub === 'root') {
      const root = generateKeyPair();
      console.log(`seed (TRUST_ROOT_KEY; keep it secret and offline): ${root.secretKey}\npublic key (pin it in verifiers):             ${root.publicKey}\nkid: ${root.kid}`);
      return 0;
    }
    if ((sub === 'create' || sub === 'rotate') && !v.department) return usage('--department is required');
    if (sub === 'revoke' && (!v.kid || !v.reason?.trim())) return usage('--kid and --reason are required');
    const days = v.days === undefined ? undefined : Number(v.days);
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3660)) return usage('--days must be a whole number of days, 1 to 3660');

    const config = configFromEnv();
    if (!config) return 1;
    let root: KeyPair | undefined;
    try {
      root = rootKey(config, v['root-key']);
    } catch (err) {
      say((err as Error).message);
      return 1;
    }
    if (sub === 'publish' && !root) return usage('publishing needs the root key: --root-key FILE or TRUST_ROOT_KEY');

    const db = await openConfiguredDb(config, say);
    if (!db) return 1;
    const now = new Date();
    try {
      await migrate(db);
      if (sub === 'list') {
        const keys = await departmentKeys(db);
        if (v.json) console.log(JSON.stringify(keys.map(({ secretKey: _, ...k }) => k), null, 2));
        else if (!keys.length) console.log('no signing keys yet; make one with `mitra keys create --department CODE`');
        else for (const k of keys) console.log(`${k.kid}  ${k.department.padEnd(8)} ${k.status.padEnd(8)} ${k.notBefore.slice(0, 10)} → ${k.notAfter.slice(0, 10)}${k.revokedAt ? `  revoked ${k.revokedAt.slice(0, 10)}: ${k.revocationReason ?? ''}` : ''}`);
        return 0;
      }
      const outcome = await db.transaction(async (tx) => {
        let line: string;
        if (sub === 'create' || sub === 'rotate') {
          const key = await addDepartmentKey(tx, signingKeySecret(config), v.department!, now, days);
          line = `key ${key.kid} made for ${key.department}, signing until ${key.notAfter.slice(0, 10)}; its earlier active key (if any) is retired`;
        } else if (sub === 'revoke') {
          const done = await revokeDepartmentKey(tx, v.kid!, v.reason!.trim(), now);
          if (!done.ok) return { ok: false as const, line: `${done.message} (${done.code})` };
          line = `key ${done.key.kid} of ${done.key.department} revoked: every document it signed now fails verification; make a new key and reissue them`;
        } else line = '';
        if (root) {
          const list = await publishTrustList(tx, root, now);
          line += `${line ? '; ' : ''}trust list ${list.trustList.serial} published (${list.trustList.keys.length} keys)`;
        } else line += '\nThe trust list is not republished: no root key here. Run `mitra keys publish --root-key FILE` where the root key is kept.';
        return { ok: true as const, line };
      });
      if (!outcome.ok) {
        say(outcome.line);
        return 1;
      }
      console.log(outcome.line);
      return 0;
    } catch (err) {
      say(`the database failed: ${(err as Error).message}`);
      return 1;
    } finally {
      await db.close().catch(() => {});
    }
  },
};

function rootKey(config: Config, file: string | undefined): KeyPair | undefined {
  if (file) {
    const seed = readFileSync(file, 'utf8').trim();
    if (!/^[A-Za-z0-9_-]{43}$/.test(seed)) throw new Error(`${file} does not hold a root key seed (43 base64url characters, as \`mitra keys root\` prints)`);
    return rootKeyOf(seed);
  }
  const seed = trustRootSeed(config);
  return seed ? rootKeyOf(seed) : undefined;
}
