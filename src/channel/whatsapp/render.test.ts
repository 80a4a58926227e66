import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateSend } from '../simulator/validate.ts';
import { LIMITS, fit, split } from './limits.ts';
import { render, renderPage } from './render.ts';

const to = '919800000001';
const choices = (n: number, title = (i: number) => `Service number ${i}`) =>
  Array.from({ length: n }, (_, i) => ({ id: `s${i}`, title: title(i) }));
const rowsOf = (p: any) => p.interactive.action.sections.flatMap((s: any) => s.rows);

test('every rendered message passes the Cloud API limits (checked the way the simulator checks them)', () => {
  const long = 'ఆదాయ ధృవీకరణ పత్రం '.repeat(400);
  const replies = [
    { kind: 'text', text: long },
    { kind: 'buttons', text: long, buttons: [{ id: 'a', title: 'ఆదాయ ధృవీకరణ పత్రం కోసం దరఖాస్తు' }, { id: 'b', title: 'ఆదాయ ధృవీకరణ పత్రం కోసం దరఖాస్తు' }] },
    { kind: 'buttons', text: 'pick', buttons: choices(5) },
    { kind: 'choices', text: 'pick', button: 'A label far longer than twenty', sections: [{ title: 'A section title that is too long', choices: choices(37, (i) => `ఆదాయ ధృవీకరణ పత్రం ${i}`) }] },
    { kind: 'choices', text: long, button: 'Choose', sections: Array.from({ length: 12 }, (_, s) => ({ title: `S${s}`, choices: choices(2) .map((c) => ({ ...c, id: `${s}-${c.id}` })) })) },
    { kind: 'link', text: 'Pay', label: 'Pay the fee now please', url: 'https://example.org/pay' },
    { kind: 'location_request', text: 'Where are you?' },
    { kind: 'document', media: { link: 'https://example.org/c.pdf' }, filename: 'c.pdf', caption: 'x'.repeat(2000) },
  ] as const;
  for (const reply of replies) {
    for (const r of render(to, reply as any)) assert.equal(validateSend(r.payload), undefined, `${reply.kind}: ${JSON.stringify(validateSend(r.payload))}`);
  }
});

test('a list longer than ten rows pages nine at a time with a More row, losing no choice', () => {
  const reply = { kind: 'choices' as const, text: 'Choose', button: 'Services', sections: [{ title: 'All', choices: choices(26) }] };
  const [first] = render(to, reply);
  assert.ok(first?.paging);
  const seen: string[] = [];
  let page = 1;
  let current = first!.payload;
  for (;;) {
    const rows = rowsOf(current);
    assert.ok(rows.length <= LIMITS.listRows);
    seen.push(...rows.filter((r: any) => !r.id.startsWith('~p:')).map((r: any) => r.id));
    const more = rows.find((r: any) => r.id.startsWith('~p:'));
    if (!more) break;
    page = Number(more.id.split(':').at(-1));
    current = renderPage(to, first!.paging!.reply, first!.paging!.key, page)[0]!.payload;
  }
  assert.equal(page, 3);
  assert.deepEqual(seen, reply.sections[0]!.choices.map((c) => c.id));
});

test('a list of exactly ten rows is one message without paging', () => {
  const out = render(to, { kind: 'choices', text: 'Choose', button: 'Go', sections: [{ choices: choices(10) }] });
  assert.equal(out.length, 1);
  assert.equal(rowsOf(out[0]!.payload).length, 10);
  assert.equal(out[0]!.paging, undefined);
});

test('more than three buttons become a list rather than losing buttons', () => {
  const [r] = render(to, { kind: 'buttons', text: 'pick', buttons: choices(5) });
  assert.equal(r!.payload.type, 'interactive');
  assert.equal((r!.payload as any).interactive.type, 'list');
  assert.equal(rowsOf(r!.payload).length, 5);
});

test('a row title cut to 24 characters keeps its full words in the description', () => {
  const [r] = render(to, { kind: 'choices', text: 'x', button: 'Go', sections: [{ choices: [{ id: 'a', title: 'Income Certificate (Revenue Department)' }] }] });
  const row = rowsOf(r!.payload)[0];
  assert.ok(row.title.length <= 24 && row.title.endsWith('…'));
  assert.equal(row.description, 'Income Certificate (Revenue Department)');
});

test('cutting Telugu never splits a conjunct or leaves a dangling vowel sign', () => {
  const text = 'క్షేత్రస్థాయి '.repeat(3); // conjuncts joined by virama, vowel signs
  const clusters = [...new Intl.Segmenter('te', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
  const boundaries = new Set(clusters.map((_, i) => clusters.slice(0, i).join('')));
  for (let max = 2; max < text.length; max++) {
    const out = fit(text, max);
    assert.ok(out.length <= max, `too long at ${max}`);
    assert.ok(boundaries.has(out.replace(/…$/, '').trimEnd()) || boundaries.has(out.replace(/…$/, '')), `split inside a cluster at ${max}: ${out}`);
  }
});

test('long text splits at paragraph or word boundaries, each part within 4096', () => {
  const para = 'పదం '.repeat(300).trim();
  const text = Array.from({ length: 10 }, () => para).join('\n\n');
  const parts = split(text, LIMITS.textBody);
  assert.ok(parts.length > 1);
  assert.ok(parts.every((p) => p.length <= LIMITS.textBody && !p.startsWith(' ') && !p.endsWith(' ')));
  assert.equal(parts.join(' ').replace(/\s+/g, ' '), text.replace(/\s+/g, ' '));
});

test('media go by id or by link, documents with their filename', () => {
  const [byId] = render(to, { kind: 'document', media: { mediaId: '123' }, filename: 'INC-26-000001.pdf', caption: 'Your certificate' });
  assert.deepEqual((byId!.payload as any).document, { id: '123', filename: 'INC-26-000001.pdf', caption: 'Your certificate' });
  const [audio] = render(to, { kind: 'audio', media: { link: 'https://example.org/a.ogg' } });
  assert.deepEqual((audio!.payload as any).audio, { link: 'https://example.org/a.ogg' });
});

test('an overlong choice id is a bug in the conversation and fails loudly', () => {
  assert.throws(() => render(to, { kind: 'choices', text: 'x', button: 'Go', sections: [{ choices: [{ id: 'x'.repeat(201), title: 't' }] }] }), /longer than 200/);
});
