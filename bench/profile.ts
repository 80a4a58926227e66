// Summarises a V8 .cpuprofile (from `bench/channel.ts --profile`): self time by function and by
// package, to see where Mitra's CPU goes.  node --import tsx bench/profile.ts FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx bench/profile.ts FILE.cpuprofile [TOP]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 40);
const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:internal/deps/')) return 'node:' + url.slice(19).split('/')[0];
  if (url.startsWith('node:internal/')) return 'node:internal/' + url.slice(14).split('/')[0];
  if (url.startsWith('node:')) return url;
  const s = /\/(src\/.*|bench\/.*|bin\/.*)$/.exec(url);
  return s ? s[1]! : url;
};

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const name = `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fn.set(name, (fn.get(name) ?? 0) + t);
  const k = n.callFrame.url ? where(n.callFrame.url) : n.callFrame.functionName || '(native)';
  pkg.set(k, (pkg.get(k) ?? 0) + t);
}
const show = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`).join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms sampled\n\nby package or file:\n${show(pkg, 25)}\n\nby function (self time):\n${show(fn, top)}`);

// `… FILE TOP NAME`: who calls NAME (self time of NAME by the chain of its 6 nearest callers).
const focus = process.argv[4];
if (focus) {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const chains = new Map<string, number>();
  for (const [id, t] of self) {
    if (byId.get(id)!.callFrame.functionName !== focus) continue;
    const names: string[] = [];
    for (let x = parent.get(id), i = 0; x !== undefined && i < 14; x = parent.get(x), i++) {
      const f = byId.get(x)!.callFrame;
      names.push(`${f.functionName || '(anon)'}@${where(f.url)}:${f.lineNumber + 1}`);
    }
    const k = names.join(' < ');
    chains.set(k, (chains.get(k) ?? 0) + t);
  }
  console.log(`\ncallers of ${focus}:\n${show(chains, 15)}`);
}
