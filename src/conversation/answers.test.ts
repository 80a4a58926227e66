import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Field } from '../catalog/index.ts';
import { readAnswer, type Answer } from './answers.ts';
import { t } from './messages.ts';
import { verhoeffDigit } from './verhoeff.ts';

const ctx = { aadhaarSalt: 'test-salt', today: new Date('2026-11-25T10:00:00Z') };
const field = (type: Field['type'], extra: Partial<Field> = {}): Field => ({ id: 'f', type, label: { te: 'ప్రశ్న', en: 'Question' }, required: true, ...extra }) as Field;
const say = (f: Field, text: string, c = ctx) => readAnswer(f, { kind: 'text', text }, c);
const ok = (a: Answer) => (a.ok ? a.value : assert.fail(`refused: ${a.problem}`));
const problem = (a: Answer) => (a.ok ? assert.fail(`accepted ${JSON.stringify(a.value)}`) : a.problem);

// A valid Aadhaar-shaped number: 11 digits and their Verhoeff check digit.
const aadhaar = (first11: string) => first11 + verhoeffDigit(first11);

test('Aadhaar: 12 digits with a valid Verhoeff check digit; kept only as a salted hash and the last 4', () => {
  const good = aadhaar('23412341234');
  const a = say(field('aadhaar'), `${good.slice(0, 4)} ${good.slice(4, 8)} ${good.slice(8)}`);
  assert.ok(a.ok);
  assert.deepEqual(Object.keys(a.value as object).sort(), ['aadhaarHash', 'aadhaarLast4']);
  assert.equal((a.value as any).aadhaarLast4, good.slice(-4));
  assert.ok(!JSON.stringify(a).includes(good), 'the full number appears nowhere in what is kept or shown');
  assert.equal(a.shown.en, `XXXX XXXX ${good.slice(-4)}`);
  const typo = good.slice(0, 5) + ((Number(good[5]) + 1) % 10) + good.slice(6);
  assert.equal(problem(say(field('aadhaar'), typo)), 'answer.aadhaar_invalid', 'one mistyped digit is caught');
  assert.equal(problem(say(field('aadhaar'), good.slice(0, 11))), 'answer.aadhaar_length');
  assert.equal(problem(say(field('aadhaar'), '0' + good.slice(1))), 'answer.aadhaar_invalid');
  const other = say(field('aadhaar'), good, { ...ctx, aadhaarSalt: 'another-state' });
  assert.notEqual((other as any).value.aadhaarHash, (a.value as any).aadhaarHash, 'the hash depends on the secret salt');
});

test('money reads how people write rupees', () => {
  const money = field('money', { min: 0 });
  assert.equal(ok(say(money, '₹1,20,000')), 120000);
  assert.equal(ok(say(money, 'Rs. 45000/-')), 45000);
  assert.equal(ok(say(money, '1.5 lakh')), 150000);
  assert.equal(ok(say(money, '2 లక్షలు')), 200000);
  assert.equal(ok(say(money, '౫౦౦౦')), 5000, 'Telugu digits');
  assert.equal(problem(say(money, 'a lot')), 'answer.money');
  assert.equal(problem(say(field('money', { min: 0, max: 1000 }), '5000')), 'answer.number_range');
});

test('dates: day-month-year, real dates only, past or future as the field needs', () => {
  assert.equal(ok(say(field('date'), '15-08-1990')), '1990-08-15');
  assert.equal(ok(say(field('date'), '5/1/2001')), '2001-01-05');
  assert.equal(problem(say(field('date'), '31-02-2001')), 'answer.date');
  assert.equal(problem(say(field('date'), 'yesterday')), 'answer.date');
  assert.equal(problem(say(field('date', { when: 'past' }), '01-01-2030')), 'answer.date_past');
  assert.equal(problem(say(field('date', { when: 'future' }), '01-01-2020')), 'answer.date_future');
  assert.equal(ok(say(field('date', { when: 'future' }), '25-11-2026')), '2026-11-25', 'today counts as from today onwards');
});

test('mobile, PIN code, email, names', () => {
  assert.equal(ok(say(field('mobile'), '+91 98480 22338')), '9848022338');
  assert.equal(ok(say(field('mobile'), '09848022338')), '9848022338');
  assert.equal(problem(say(field('mobile'), '1234567890')), 'answer.mobile');
  assert.equal(ok(say(field('pin_code'), '520 001')), '520001');
  assert.equal(problem(say(field('pin_code'), '52001')), 'answer.pin_code');
  assert.equal(ok(say(field('email'), 'Ravi@Example.in')), 'ravi@example.in');
  assert.equal(problem(say(field('email'), 'ravi@')), 'answer.email');
  assert.equal(ok(say(field('person_name'), '  కె.  లక్ష్మి ')), 'కె. లక్ష్మి');
  assert.equal(ok(say(field('person_name'), "D'Souza Mary")), "D'Souza Mary");
  assert.equal(problem(say(field('person_name'), 'Ravi123')), 'answer.name');
});

test('choices: a tap, a number, or the words in either language', () => {
  const purpose = field('choice', { options: [{ id: 'scholarship', label: { te: 'ఉపకార వేతనం', en: 'Scholarship' } }, { id: 'scheme', label: { te: 'ప్రభుత్వ పథకం', en: 'Government scheme' } }] });
  assert.equal(ok(readAnswer(purpose, { kind: 'choice', id: 'scheme', title: 'x' }, ctx)), 'scheme');
  assert.equal(ok(say(purpose, '1')), 'scholarship');
  assert.equal(ok(say(purpose, 'ఉపకార వేతనం')), 'scholarship');
  assert.equal(ok(say(purpose, 'government')), 'scheme', 'a unique beginning is enough');
  assert.equal(problem(say(purpose, '3')), 'answer.choice');
  assert.equal(problem(readAnswer(purpose, { kind: 'choice', id: 'not-offered', title: 'x' }, ctx)), 'answer.choice');
  const district = field('choice', { list: 'ap-districts' });
  const entries = [{ id: 'guntur', te: 'గుంటూరు', en: 'Guntur' }, { id: 'krishna', te: 'కృష్ణా', en: 'Krishna' }];
  assert.equal(ok(say(district, 'గుంటూరు', { ...ctx, entries } as any)), 'guntur');
});

test('yes/no, media and location', () => {
  assert.equal(ok(say(field('yes_no'), 'అవును')), true);
  assert.equal(ok(say(field('yes_no'), 'ledu')), false);
  assert.equal(problem(say(field('yes_no'), 'maybe')), 'answer.yes_no');
  const photo = field('media', { accept: ['image'] });
  assert.deepEqual(ok(readAnswer(photo, { kind: 'media', mediaType: 'image', mediaId: '55', mimeType: 'image/jpeg' }, ctx)), { mediaId: '55', mimeType: 'image/jpeg' });
  const wrong = readAnswer(photo, { kind: 'text', text: 'here' }, ctx);
  assert.ok(!wrong.ok);
  assert.equal(t('en', wrong.problem, wrong.params), 'Please send a photo using the 📎 button.');
  assert.equal(t('te', wrong.problem, wrong.params), 'దయచేసి 📎 బటన్‌తో ఫోటో పంపండి.');
  assert.ok(readAnswer(field('location'), { kind: 'location', latitude: 16.5, longitude: 80.5 }, ctx).ok);
});
