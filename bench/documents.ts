// Documents bench: QR size and verifications a second, Mitra's MT1 beside its peers, in one run, on
// the same income certificate (src/documents/testkit.ts), each peer issued and verified with its own
// real npm package (bench/peer-documents/peers.ts), offline.
//
//   npm --prefix bench/peer-documents install       once: the peers, kept apart from Mitra's dependencies
//   node --import tsx bench/documents.ts [--seconds S] [--rounds N] [--wait-idle S] [--no-peers]
//   node --import tsx bench/documents.ts --smoke     5–10 s; exits 1 if any format fails to verify its own
//                                                    document or accepts a tampered one
//
// Sizes: what each QR code holds, its characters and bytes, and the smallest QR version at ECC M that
// the `qrcode` package (Mitra's own) finds for it, with the encoding modes it chose. Speed: each
// verifier called in a single-threaded loop (awaited one by one where the package is async), after a
// warm-up, for S seconds (default 3); the rounds (default 3) go through every verifier in turn, so
// load on this shared machine spreads over all of them, and the median is reported. Bare node:crypto
// Ed25519 verification of a message of the same size runs in the same rounds: the ceiling. The
// machine is shared: each measure also records this process's CPU time (verifications per CPU-second)
// and the rest of the machine's CPU use (/proc/stat); --wait-idle S first waits up to S seconds for
// 10 s in which other work uses less than a fifth of a core, and takes a measure again (twice at most,
// within the same S) when other work used more than a quarter of a core during it.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { decodeBase45, newStatusList, setRevoked, signDocument, verifyDocument, verifyUrl } from '../src/documents/index.ts';
import { decodeSign1, verifySign1 } from '../src/documents/cose.ts';
import { privateKeyOf, publicKeyOf } from '../src/documents/keys.ts';
import { parsePayload } from '../src/documents/payload.ts';
import { at, incomeCertificate, payloadOf, world } from '../src/documents/testkit.ts';
import { dcc, divoc, installed, oa, type Carrier, type Peer } from './peer-documents/peers.ts';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    'wait-idle': { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 19).join('\n'));
  process.exit(0);
}
const smoke = args.smoke;
const seconds = Number(args.seconds ?? (smoke ? 0.25 : 3));
const rounds = Number(args.rounds ?? (smoke ? 1 : 3));
const warmupSeconds = smoke ? 0.1 : Math.min(1, seconds / 2);

// ---------------------------------------------------------------------------------------------------
// The same certificate for everyone

const claims = incomeCertificate();
const now = at('2025-07-01T00:00:00Z');
const problems: string[] = [];

interface Row {
  format: string;
  holds: string;
  carrier: Carrier;
  /** Key of the speed measure this row's verification is (rows that share one measure share its figure). */
  measure?: string;
  /** The code holds only a link to a document kept online, not the document. */
  link?: boolean;
}
const rows: Row[] = [];
interface Measure {
  name: string;
  run: () => unknown;
  async: boolean;
  rates: number[];
  /** Other work on the machine during each measure, in cores (machine busy minus this process). */
  others: number[];
  /** Verifications per second of this process's CPU time (user + system), less sensitive to other work on the machine. */
  perCpu: number[];
  cpu: number[];
  reference?: boolean;
}
const measures = new Map<string, Measure>();
const addMeasure = (key: string, name: string, run: () => unknown, async = false, reference = false) =>
  measures.set(key, { name, run, async, rates: [], perCpu: [], cpu: [], others: [], reference });

// Mitra: MT1, as signDocument makes it and verifyDocument checks it (trust list, status list).
const w = world(true);
const signed = signDocument(claims, w.rev);
if (!signed.ok) throw new Error(signed.message);
const url = verifyUrl(signed.payload, 'https://mitra.ap.gov.in');
const statusList = newStatusList('REV01', 1 << 20);
setRevoked(statusList, 12345);
const ctx = { trustList: w.trustList, statusList, now };
const parsed = parsePayload(signed.payload);
if (!parsed.ok) throw new Error(parsed.message);
const tamperedBare = payloadOf(tamper(parsed.cose), signed.compressed);
const mitraNote = 'verifyDocument: Base41, inflate, COSE, trust list, Ed25519, claims strictly, key window, dates, status list bit';
rows.push({
  format: 'Mitra MT1 (EdDSA COSE_Sign1)',
  holds: 'verify URL `HTTPS://MITRA.AP.GOV.IN/V/MT1:…`',
  measure: 'mitra-url',
  carrier: { qr: url, verify: () => verifyDocument(url, ctx).valid, verifyTampered: () => verifyDocument(verifyUrl(tamperedBare, 'https://mitra.ap.gov.in'), ctx).valid, note: mitraNote },
});
rows.push({
  format: 'Mitra MT1 (EdDSA COSE_Sign1)',
  holds: 'bare payload `MT1:…`',
  measure: 'mitra-bare',
  carrier: { qr: signed.payload, verify: () => verifyDocument(signed.payload, ctx).valid, verifyTampered: () => verifyDocument(tamperedBare, ctx).valid, note: mitraNote },
});
addMeasure('mitra-url', 'Mitra verifyDocument, URL form', () => verifyDocument(url, ctx).valid);
addMeasure('mitra-bare', 'Mitra verifyDocument, bare payload', () => verifyDocument(signed.payload, ctx).valid);

// The ceiling: bare node:crypto Ed25519 over a message the size of Mitra's COSE_Sign1.
{
  const message = new Uint8Array(signed.cose.length);
  const signature = sign(null, message, privateKeyOf(w.rev));
  const publicKey = publicKeyOf(w.rev);
  addMeasure('ed25519', 'node:crypto Ed25519 verify (ceiling)', () => verify(null, message, publicKey, signature), false, true);
}
// For scale beside the DCC: bare node:crypto ECDSA P-256 (ES256) over the same size.
{
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = new Uint8Array(signed.cose.length);
  const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  addMeasure('es256', 'node:crypto ECDSA P-256 verify (for scale)', () => verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature), false, true);
}

function tamper(cose: Uint8Array): Uint8Array {
  const at = Buffer.from(cose).indexOf(Buffer.from('Narasimha'));
  if (at < 0) throw new Error('tamper: no holder name in the COSE');
  const out = new Uint8Array(cose);
  out.set(Buffer.from('Narasimhu'), at);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The peers

let peers: Peer[] = [];
if (args['no-peers']) {
  console.log('peers: left out (--no-peers)');
} else if (!(await installed())) {
  console.error('peers: not installed; run `npm --prefix bench/peer-documents install` to measure DIVOC, the EU DCC and OpenAttestation beside Mitra');
  if (smoke) problems.push('peers not installed');
} else {
  const t = performance.now();
  peers = [await divoc(claims, now), await dcc(claims), await oa(claims)];
  console.log(`peers: issued in ${Math.round(performance.now() - t)} ms`);
  const [dv, dc, oaPeer] = peers as [Peer, Peer, Peer];
  rows.push({ format: `${dv.name} (Ed25519Signature2018)`, holds: 'ZIP of certificate.json, as DIVOC\'s API renders it', measure: 'divoc', carrier: dv.carriers.divocApi! });
  rows.push({ format: `${dv.name} (Ed25519Signature2018)`, holds: 'the same ZIP as raw bytes', measure: 'divoc', carrier: dv.carriers.zipBytes! });
  rows.push({ format: dc.name, holds: '`HC1:` + Base45(zlib(COSE_Sign1))', measure: 'dcc', carrier: dc.carriers.hc1! });
  rows.push({ format: oaPeer.name, holds: 'the whole wrapped, signed document (JSON)', measure: 'oa', carrier: oaPeer.carriers.document! });
  rows.push({ format: oaPeer.name, holds: 'a Universal Action link to the document stored online', carrier: oaPeer.carriers.link!, link: true });
  addMeasure('divoc', `${dv.name}: unzip + vc.verifyCredential`, dv.carriers.divocApi!.verify!, true);
  addMeasure('dcc', `${dc.name}: dcc-sdk unpackAndVerify`, dc.carriers.hc1!.verify!, true);
  addMeasure('oa', `${oaPeer.name}: verifySignature + verifyMessage`, oaPeer.carriers.document!.verify!);
  // The same HC1 through node:crypto and Mitra's own Base45 and COSE code: what the DCC format costs
  // without dcc-sdk's overheads (a reference, not a peer package).
  const hc1 = dc.carriers.hc1!.qr as string;
  const dccKey = dc.keys!.es256!;
  const lean = () => {
    const b = decodeBase45(hc1.slice(4));
    if (!b.ok) return false;
    const d = decodeSign1(inflateSync(b.bytes));
    return d.ok && verifySign1(d.sign1, dccKey).ok;
  };
  if (!lean()) problems.push('the HC1 does not verify with node:crypto');
  addMeasure('dcc-lean', `${dc.name}: the same HC1, node:crypto + Mitra's COSE code (reference)`, lean, false, true);
}

// ---------------------------------------------------------------------------------------------------
// Sizes and QR versions

interface Size {
  chars: number;
  bytes: number;
  version: string;
  modules: string;
  modes: string;
  versionL?: number;
}
const MODE_NAMES: Record<string, string> = { Alphanumeric: 'alphanumeric', Byte: 'byte', Numeric: 'numeric', Kanji: 'kanji' };
function qrSize(qr: string | Uint8Array): Size {
  const chars = qr.length;
  const bytes = typeof qr === 'string' ? Buffer.byteLength(qr) : qr.length;
  const input = typeof qr === 'string' ? qr : [{ data: qr, mode: 'byte' as const }];
  try {
    const code = QRCode.create(input as string, { errorCorrectionLevel: 'M' });
    const counts = new Map<string, number>();
    for (const s of code.segments as unknown as { mode: { id: string }; getLength(): number }[]) {
      const m = MODE_NAMES[s.mode.id] ?? s.mode.id;
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    const modes = [...counts].map(([m, n]) => (n > 1 ? `${m} ×${n}` : m)).join(', ');
    return { chars, bytes, version: String(code.version), modules: `${code.modules.size}×${code.modules.size}`, modes };
  } catch {
    let versionL: number | undefined;
    try {
      versionL = QRCode.create(input as string, { errorCorrectionLevel: 'L' }).version;
    } catch {
      /* too big at L as well */
    }
    return { chars, bytes, version: 'none (> v40)', modules: '–', modes: typeof qr === 'string' && /^[\x20-\x7e]*$/.test(qr) ? 'byte' : '–', versionL };
  }
}

const sizes = rows.map((r) => qrSize(r.carrier.qr));

// ---------------------------------------------------------------------------------------------------
// Each format verifies its own document and refuses a tampered copy

for (const r of rows) {
  const label = `${r.format}, ${r.holds}`;
  if (r.carrier.verify) {
    try {
      if ((await r.carrier.verify()) !== true) problems.push(`${label}: does not verify its own document`);
    } catch (e) {
      problems.push(`${label}: verification threw ${(e as Error).message}`);
    }
  }
  if (r.carrier.verifyTampered) {
    try {
      if ((await r.carrier.verifyTampered()) !== false) problems.push(`${label}: accepts a tampered document`);
    } catch {
      // throwing on a tampered document is refusing it
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Speed

/** Busy and total CPU ticks of the whole machine (Linux /proc/stat), or undefined elsewhere. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const t = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (t[3] ?? 0) + (t[4] ?? 0);
    const total = t.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}
/** The machine's busy CPU, in cores, between two readings. */
function busyCores(a: ReturnType<typeof machineTicks>, b: ReturnType<typeof machineTicks>): number | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  return ((b.busy - a.busy) / (b.total - a.total)) * cpus().length;
}

/** Seconds left for waiting (--wait-idle), and how many measures were taken again because of other work. */
let idleBudget = Number(args['wait-idle'] ?? 0);
let retakes = 0;
/** Waits (up to maxSeconds, taken from idleBudget) for 10 s in which the rest of the machine uses less than a fifth of a core. */
async function waitIdle(maxSeconds: number) {
  const start = Date.now();
  try {
    for (;;) {
      const a = machineTicks();
      await new Promise((r) => setTimeout(r, 10_000));
      const busy = busyCores(a, machineTicks());
      if (busy === undefined || busy < 0.2) return;
      if (Date.now() - start > maxSeconds * 1000) {
        console.log(`  waited ${Math.round((Date.now() - start) / 1000)} s; the machine is still busy (${busy.toFixed(2)} cores in the last 10 s)`);
        return;
      }
    }
  } finally {
    idleBudget = Math.max(0, idleBudget - (Date.now() - start) / 1000);
  }
}

async function rate(m: Measure): Promise<void> {
  const loop = async (ms: number) => {
    let n = 0;
    let failed = 0;
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    const ticks0 = machineTicks();
    let t = start;
    if (m.async) {
      while (t - start < ms) {
        if ((await m.run()) === false) failed++;
        n++;
        t = performance.now();
      }
    } else {
      while (t - start < ms) {
        for (let i = 0; i < 50; i++) if (m.run() === false) failed++;
        n += 50;
        t = performance.now();
      }
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const busy = busyCores(ticks0, machineTicks());
    return { perSecond: n / ((t - start) / 1000), perCpu: n / (cpuMs / 1000), cpu: cpuMs / (t - start), others: busy === undefined ? NaN : Math.max(0, busy - cpuMs / (t - start)), failed };
  };
  await loop(warmupSeconds * 1000);
  let r = await loop(seconds * 1000);
  // With --wait-idle, a measure during which other work took more than a quarter of a core is taken
  // again after the next quiet window (twice at most, within the waiting budget); the quietest is kept.
  for (let retake = 0; idleBudget > 0 && r.others > 0.25 && retake < 2; retake++) {
    retakes++;
    await waitIdle(idleBudget);
    await loop(warmupSeconds * 1000);
    const again = await loop(seconds * 1000);
    if (!(again.others >= r.others)) r = again;
  }
  if (r.failed) problems.push(`${m.name}: ${r.failed} verifications failed during the measure`);
  m.rates.push(r.perSecond);
  m.perCpu.push(r.perCpu);
  m.cpu.push(r.cpu);
  m.others.push(r.others);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const load0 = loadavg();
if (idleBudget > 0) await waitIdle(idleBudget);
const loadStart = loadavg();
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  for (const m of measures.values()) await rate(m);
  if (!smoke) process.stderr.write(`  round ${round + 1}/${rounds} done\n`);
}
const loadEnd = loadavg();

// ---------------------------------------------------------------------------------------------------
// Report

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ceiling = median(measures.get('ed25519')!.rates);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nDocuments bench, ${new Date().toISOString()}: ${cpus().length} cores (${cpu}), Node ${process.version}`);
console.log(`load average (1/5/15 min): at start ${load0.map((x) => x.toFixed(2)).join(' ')}${args['wait-idle'] ? `, after waiting ${loadStart.map((x) => x.toFixed(2)).join(' ')}` : ''}, at end ${loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
const allOthers = [...measures.values()].flatMap((m) => m.others).filter((x) => !Number.isNaN(x));
if (allOthers.length) console.log(`other work on the machine during the measures: median ${Math.round(median(allOthers) * 100)} % of a core, max ${Math.round(Math.max(...allOthers) * 100)} %`);
console.log(`speed: ${rounds} round(s) of ${seconds} s per verifier (+${warmupSeconds} s warm-up), median; ${Math.round((performance.now() - started) / 1000)} s in all${retakes ? `; ${retakes} measure(s) taken again after other work` : ''}\n`);

console.log('| format | QR holds | chars | bytes | QR mode | QR version, ECC M | verify/s (median) | per CPU-second | µs | of Ed25519 |');
console.log('| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |');
const speed = (m: Measure | undefined) => {
  if (!m) return '– | – | – | –';
  const v = median(m.rates);
  return `${fmt(v)} | ${fmt(median(m.perCpu))} | ${fmt(1e6 / v)} | ${Math.round((100 * v) / ceiling)} %`;
};
rows.forEach((r, i) => {
  const s = sizes[i]!;
  const version = s.version.startsWith('none') ? `none (> v40)${s.versionL ? `; v${s.versionL} at L` : ''}` : `v${s.version} (${s.modules})`;
  console.log(`| ${r.format} | ${r.holds} | ${fmt(s.chars)} | ${fmt(s.bytes)} | ${s.modes} | ${version} | ${speed(r.measure ? measures.get(r.measure) : undefined)} |`);
});
for (const m of measures.values()) if (m.reference) console.log(`| ${m.name} | – | – | – | – | – | ${speed(m)} |`);

console.log('\nAll runs, per round: verifications a second, a second of this process\'s CPU time, this process\'s CPU and the rest of the machine\'s (other work) as a share of one core:');
for (const m of measures.values()) {
  console.log(`  ${m.name}\n      verify/s ${m.rates.map(fmt).join(' / ')}; per CPU-s ${m.perCpu.map(fmt).join(' / ')}; CPU ${m.cpu.map((c) => `${Math.round(c * 100)}%`).join(' / ')}; other work ${m.others.map((c) => (Number.isNaN(c) ? '?' : `${Math.round(c * 100)}%`)).join(' / ')}`);
}
console.log('\nWhat each verification does:');
const seen = new Set<string>();
for (const r of rows) {
  if (seen.has(r.carrier.note)) continue;
  seen.add(r.carrier.note);
  console.log(`  ${r.format}, ${r.holds}: ${r.carrier.note}`);
}
for (const p of peers) console.log(`  ${p.name}: ${p.packages}`);

// The targets (issue 6): Mitra's QR no larger than any peer's, and ≥ 8,000 verifications a second.
const mitraVersion = Number(sizes[0]!.version);
const versionOf = (s: Size) => (s.version.startsWith('none') ? 41 : Number(s.version));
const peerRows = rows.map((r, i) => ({ r, s: sizes[i]! })).filter(({ r }) => !r.format.startsWith('Mitra'));
const carrying = peerRows.filter(({ r }) => !r.link);
const smaller = carrying.filter(({ s }) => versionOf(s) < mitraVersion);
const mitraRate = median(measures.get('mitra-url')!.rates);
console.log('\nTargets:');
if (peerRows.length) {
  const list = (xs: typeof peerRows) => xs.map(({ r, s }) => `${r.format.split(' (')[0]}: ${s.version.startsWith('none') ? '>v40' : `v${s.version}`}`).join('; ');
  console.log(`  Mitra's QR (verify URL, v${mitraVersion} at M) no larger than any peer's that carries the document: ${smaller.length ? `NO, smaller: ${list(smaller)}` : 'yes'} (${list(carrying)})`);
  for (const { r, s } of peerRows.filter(({ r }) => r.link))
    console.log(`  a code holding only a link, not the document (${r.format}): v${s.version}${versionOf(s) < mitraVersion ? ', smaller than Mitra\'s verify URL' : ''}; Mitra's bare payload: v${sizes[1]!.version}`);
}
console.log(`  Mitra verification ≥ 8,000/s on one core: ${mitraRate >= 8000 ? 'yes' : 'NO'} (${fmt(mitraRate)}/s, ${Math.round((100 * mitraRate) / ceiling)} % of bare Ed25519 at ${fmt(ceiling)}/s)`);
if (smoke) console.log('  (smoke: figures from a short run, not for reporting)');

if (problems.length) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`\nEvery format verified its own document and refused a tampered copy.`);
