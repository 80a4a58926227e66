import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testDb } from '../../test/support.ts';
import { loadCatalog, type Field } from '../catalog/index.ts';
import type { InboundContent, Reply } from '../channel/index.ts';
import { createConversation } from './conversation.ts';
import { verhoeffDigit } from './verhoeff.ts';

// Every service of the shipped catalogue, used end to end: its detail, its form answered question by
// question, its summary confirmed, and a reference under its department's prefix. Information
// services answer with their information instead.

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('the shipped catalogue does not load');
const catalog = loaded.catalog;
const today = new Date('2026-11-25T06:00:00Z');
const handler = createConversation({ catalog, aadhaarSalt: 'every-service-test-salt', clock: { now: () => today } });

let db: Awaited<ReturnType<typeof testDb>>;
before(async () => {
  db = await testDb();
});
after(() => db.dispose());

let seq = 0;
async function turn(waId: string, content: InboundContent): Promise<Reply[]> {
  const message = { id: `wamid.every.${++seq}`, from: waId, at: today, content };
  return db.transaction((tx) => handler({ citizen: { waId }, message, receivedAt: today }, tx));
}
const tap = (id: string): InboundContent => ({ kind: 'choice', id, title: id });
const say = (text: string): InboundContent => ({ kind: 'text', text });
const textOf = (rs: Reply[]) => rs.map((r) => ('text' in r ? r.text : '')).join('\n');

/** A valid answer to a question, as a citizen would give it. */
function goodAnswer(f: Field, answers: Record<string, string>): InboundContent {
  switch (f.type) {
    case 'text': return say('Near the panchayat office, ward 4');
    case 'person_name': return say('Lakshmi Devi');
    case 'number': return say(String(f.min !== undefined && f.min > 1 ? f.min : Math.min(1, f.max ?? 1)));
    case 'money': return say(String(f.min !== undefined && f.min > 0 ? f.min : 25000));
    case 'date': return say(f.when === 'future' ? '01-01-2027' : '15-08-1990');
    case 'yes_no': return tap('yes_no:yes');
    case 'mobile': return say('9876543210');
    case 'pin_code': return say('522201');
    case 'email': return say('citizen@example.com');
    case 'aadhaar': return say('23456789012' + verhoeffDigit('23456789012'));
    case 'media': return { kind: 'media', mediaType: f.accept?.includes('image') === false ? 'document' : 'image', mediaId: '1234', mimeType: f.accept?.includes('image') === false ? 'application/pdf' : 'image/jpeg' };
    case 'location': return { kind: 'location', latitude: 16.3, longitude: 80.4 };
    case 'choice': {
      if (f.options) return tap(`opt:${f.options[0]!.id}`);
      const entries = catalog.lists.get(f.list!)!.filter((e) => !f.within || e.parent === answers[f.within]);
      answers[f.id] = entries[0]!.id;
      return tap(`opt:${entries[0]!.id}`);
    }
  }
}

test(`every one of the ${catalog.services.size} shipped services can be used end to end`, async () => {
  const failures: string[] = [];
  let filed = 0;
  for (const department of catalog.departments) {
    for (const service of department.services) {
      const waId = `9198${String(++seq).padStart(8, '0')}`;
      await turn(waId, say('hi'));
      await turn(waId, tap('lang:en'));
      const detail = await turn(waId, tap(`svc:${service.id}`));
      if (service.kind === 'information') {
        if (!textOf(detail).includes(service.information!.en.slice(0, 40))) failures.push(`${service.id}: the information is not shown`);
        continue;
      }
      let replies = await turn(waId, tap(`start:${service.id}`));
      const answers: Record<string, string> = {};
      for (const f of service.fields) {
        if (!textOf(replies).includes(f.label.en)) failures.push(`${service.id}: expected the question "${f.label.en}", got ${textOf(replies).slice(0, 120)}`);
        replies = await turn(waId, goodAnswer(f, answers));
        if (/⚠️/.test(textOf(replies))) failures.push(`${service.id}.${f.id}: a good ${f.type} answer was refused: ${textOf(replies).slice(0, 160)}`);
      }
      replies = await turn(waId, tap('form:confirm'));
      const reference = textOf(replies).match(/[A-Z]{2,5}-26-\d{6}/)?.[0];
      if (!reference?.startsWith(`${department.prefix}-26-`)) failures.push(`${service.id}: no ${department.prefix} reference after confirming: ${textOf(replies).slice(0, 160)}`);
      else filed++;
    }
  }
  assert.deepEqual(failures, []);
  const expected = [...catalog.services.values()].filter((s) => s.kind !== 'information').length;
  assert.equal(filed, expected);
  const [count] = await db.query<{ n: number }>('select count(*)::int as n from cases');
  assert.equal(count!.n, expected);
});
