import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MESSAGES, t } from './messages.ts';

test('every message exists in Telugu and English, none empty, Telugu written in Telugu script', () => {
  const keys = new Set([...Object.keys(MESSAGES.en), ...Object.keys(MESSAGES.te)]);
  for (const key of keys) {
    const en = MESSAGES.en[key as keyof typeof MESSAGES.en];
    const te = MESSAGES.te[key as keyof typeof MESSAGES.te];
    assert.ok(en?.trim(), `${key} is missing in English`);
    assert.ok(te?.trim(), `${key} is missing in Telugu`);
    assert.match(te, /[\u0C00-\u0C7F]/, `${key} in Telugu has no Telugu letters`);
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(holes(te), holes(en), `${key}: placeholders differ between languages`);
  }
});

test('placeholders are filled in the citizen\'s language', () => {
  assert.equal(t('en', 'answer.number_range', { min: 1, max: 10 }), 'Please write a number from 1 to 10.');
  assert.match(t('te', 'answer.number_range', { min: 1, max: 10 }), /1 నుండి 10/);
});
