import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { openPdf, readQrCode, readQrCodeFromPdf, verifyDocument, verifyStatusList, verifyTrustList, type StatusList, type TrustList, type Verdict } from '../documents/index.ts';
import type { Command } from './index.ts';
import { verifierFromKey, type NoteVerifier } from '../ledger/index.ts';
import { checkIssueProof, LEDGER_PROOF_FILE } from '../transparency-log/index.ts';
import { commandLine } from './command-line.ts';

const USAGE = [
  'usage: mitra verify <payload | link | file.txt | file.pdf | file.png | -> --trust-list FILE|URL [--root-key KEY|FILE]',
  '                    [--status-list FILE|URL]... [--skip-status] [--at ISO-TIME] [--json]',
  '',
  '  <payload>       the QR text: MT1:… or the verify link HTTPS://…/V/MT1:…; a text file holding it;',
  '                  the certificate PDF (its QR code is read from the first pages); a PNG or JPEG',
  '                  picture of the QR code; - reads standard input.',
  '  --trust-list    the signed trust list of department keys (a file, or its well-known URL)',
  '  --root-key      the state root public key (32 bytes, base64url, or a file holding it) that must have',
  '                  signed the trust list; default: the MITRA_ROOT_KEY environment variable',
  "  --status-list   a department's signed status list (repeatable); revocation is checked in the issuer's",
  '  --skip-status   accept a document whose revocation could not be checked (no status list of its issuer)',
  '  --at            verify as at this time instead of now',
  '  --log-key       the public ledger\'s verifier key (name+hash+key, or a file; GET /ledger/log-key): the',
  '                  certificate must then carry its ledger proof (a PDF\'s certificate.tlog-proof attachment,',
  '                  or --ledger-proof FILE) showing it was recorded in the ledger',
  '  --ledger-proof  a c2sp.org/tlog-proof file for the certificate (instead of the PDF\'s own)',
  '  --json          print {verdict, claims, ledger}',
  '',
  'Exit status: 0 only when the document is genuine, current and not revoked; 1 when it is not (or when',
  'revocation could not be checked, without --skip-status); 2 on a usage error or an input that cannot be read',
  '(a PDF or picture that cannot be opened, or holds no QR code).',
].join('\n');

const { say, usage, parse } = commandLine('verify', USAGE);

class UsageError extends Error {}
/** An input that was found but cannot be read: said without the usage text, which would not help. */
class Unreadable extends Error {}

export const verifyCommand: Command = {
  summary: "check a document's QR payload: genuine, current and not revoked",
  usage: USAGE,
  async run(args) {
    const parsed = parse(args, {
      'trust-list': { type: 'string' },
      'root-key': { type: 'string' },
      'status-list': { type: 'string', multiple: true, default: [] },
      'skip-status': { type: 'boolean', default: false },
      at: { type: 'string' },
      json: { type: 'boolean', default: false },
      'log-key': { type: 'string' },
      'ledger-proof': { type: 'string' },
    });
    if (!parsed) return 2;
    const v = parsed.values;
    try {
      if (parsed.positionals.length !== 1) throw new UsageError('give exactly one payload, link or file');
      if (!v['trust-list']) throw new UsageError('--trust-list is required (the signed list of department keys)');
      const rootKey = readRootKey(v['root-key'] ?? process.env.MITRA_ROOT_KEY);
      const now = v.at ? new Date(v.at) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError(`--at ${v.at} is not a date-time`);

      const input = parsed.positionals[0]!;
      const payload = await readPayload(input);
      const logKeys = v['log-key'] ? [readLogKey(v['log-key'])] : undefined;
      const proofText = logKeys ? (v['ledger-proof'] ? readFileSync(v['ledger-proof'], 'utf8') : await ledgerProofIn(input)) : undefined;

      const tl = verifyTrustList(await readJson(v['trust-list'], 'trust list'), rootKey);
      if (!tl.ok) {
        say(`the trust list is not usable (${tl.code}): ${tl.message}`);
        return 1;
      }
      const trustList: TrustList = tl.trustList;
      const statusLists: StatusList[] = [];
      for (const source of v['status-list']) {
        const sl = verifyStatusList(await readJson(source, 'status list'), trustList);
        if (!sl.ok) {
          say(`the status list ${source} is not usable (${sl.code}): ${sl.message}`);
          return 1;
        }
        statusLists.push(sl.statusList);
      }

      const verdict = verifyDocument(payload, { trustList, statusList: statusLists, now });
      const unchecked = verdict.valid && !verdict.statusChecked;
      const ledger = logKeys && verdict.claims
        ? proofText
          ? checkIssueProof(proofText, payload, verdict.claims.documentNumber, logKeys)
          : { ok: false as const, code: 'no_proof', message: 'the certificate carries no ledger proof (give --ledger-proof FILE)' }
        : undefined;
      const ok = verdict.valid && (verdict.statusChecked || v['skip-status']) && (ledger === undefined || ledger.ok);
      if (v.json) {
        const { claims, ...rest } = verdict;
        console.log(JSON.stringify({ verdict: rest, claims: claims ?? null, ...(ledger ? { ledger } : {}) }, null, 2));
      } else {
        console.log(render(verdict, statusLists, unchecked && !v['skip-status']));
        if (ledger) console.log(ledger.ok ? `ledger:    recorded as entry #${ledger.index} of ${ledger.origin} (checkpoint of ${ledger.size})` : `ledger:    NOT SHOWN TO BE RECORDED (${ledger.code}): ${ledger.message}`);
      }
      if (unchecked && !v['skip-status']) say(`revocation was not checked: give --status-list with ${verdict.claims.issuer}'s list, or --skip-status to accept that`);
      return ok ? 0 : 1;
    } catch (err) {
      if (err instanceof UsageError) {
        return usage(err.message);
      }
      if (err instanceof Unreadable) {
        say(err.message);
        return 2;
      }
      throw err;
    }
  },
};

function readRootKey(value: string | undefined): string {
  if (!value) throw new UsageError('the root key is needed to trust the trust list: --root-key KEY|FILE or MITRA_ROOT_KEY');
  const text = isFile(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) throw new UsageError('the root key is a raw Ed25519 public key: 32 bytes, base64url (43 characters)');
  return text;
}

const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

function readLogKey(value: string): NoteVerifier {
  const text = isFile(value) ? readFileSync(value, 'utf8').trim() : value.trim();
  const read = verifierFromKey(text);
  if (!read.ok) throw new UsageError(`--log-key: ${read.message}`);
  return read.verifier;
}

/** The ledger proof a certificate PDF carries as an attachment, if the input is one. */
async function ledgerProofIn(input: string): Promise<string | undefined> {
  if (!isFile(input) || !readFileSync(input).subarray(0, 5).equals(PDF_MAGIC)) return undefined;
  const pdf = await openPdf(readFileSync(input));
  try {
    const file = (await pdf.attachments()).get(LEDGER_PROOF_FILE);
    return file ? Buffer.from(file).toString('utf8') : undefined;
  } finally {
    await pdf.close();
  }
}

const PDF_MAGIC = Buffer.from('%PDF-');
const PICTURE_MAGIC = [Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from([0xff, 0xd8, 0xff])]; // PNG, JPEG

/** The payload text from an argument: a file (PDF, picture or text), standard input, or the text itself. */
async function readPayload(arg: string): Promise<string> {
  if (arg === '-') return readFileSync(0, 'utf8').trim();
  if (!isFile(arg)) {
    if (/\.(png|pdf|txt|jpe?g)$/i.test(arg)) throw new UsageError(`no such file: ${arg}`);
    return arg;
  }
  const ext = extname(arg).toLowerCase();
  const bytes = readFileSync(arg);
  // By content first, then by name: a download may have lost its extension or been given the wrong one.
  const pdf = bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC);
  const picture = PICTURE_MAGIC.some((m) => bytes.subarray(0, m.length).equals(m));
  if (pdf || (!picture && ext === '.pdf')) {
    const read = await readQrCodeFromPdf(bytes);
    if (!read.ok) throw new Unreadable(`${arg}: ${read.message}`);
    return read.text;
  }
  if (picture || ['.png', '.jpg', '.jpeg'].includes(ext)) {
    const read = await readQrCode(bytes);
    if (!read.ok) throw new Unreadable(`${arg}: ${read.message}`);
    return read.text;
  }
  return bytes.toString('utf8').trim();
}

async function readJson(source: string, what: string): Promise<unknown> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new UsageError(`could not fetch the ${what} from ${source}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new UsageError(`could not fetch the ${what} from ${source}: HTTP ${res.status}`);
    text = await res.text();
  } else {
    if (!isFile(source)) throw new UsageError(`no ${what} file ${source}`);
    text = readFileSync(source, 'utf8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`the ${what} at ${source} is not JSON`);
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

function render(verdict: Verdict, statusLists: StatusList[], unchecked: boolean): string {
  const lines: string[] = [];
  const c = verdict.claims;
  if (verdict.valid) lines.push(unchecked ? `GENUINE, BUT REVOCATION NOT CHECKED: ${c!.documentType} ${c!.documentNumber}` : `VALID: ${c!.documentType} ${c!.documentNumber}`);
  else lines.push(`NOT VALID (${verdict.code}): ${verdict.message}`);
  if (c) {
    lines.push(`  holder      ${c.holderName}`);
    lines.push(`  issued by   ${c.issuer}${verdict.issuer ? ` (key ${verdict.issuer.kid})` : ''} at ${iso(c.issuedAt)}`);
    lines.push(`  expires     ${c.expiresAt === undefined ? 'never' : iso(c.expiresAt)}`);
    for (const [k, value] of Object.entries(c.fields)) lines.push(`  ${k.padEnd(11)} ${value}`);
    if (verdict.valid) {
      const list = statusLists.find((l) => l.issuer === c.issuer);
      lines.push(`  revocation  ${verdict.statusChecked ? `not revoked (${c.issuer} status list of ${list?.issuedAt})` : `unknown (no status list of ${c.issuer} covering entry ${c.statusIndex})`}`);
    }
  }
  return lines.join('\n');
}
