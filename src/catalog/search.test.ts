import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Service } from './schema.ts';
import { createServiceSearch, keysOf, phoneticKey } from './search.ts';

test('one key for a word however it is written: Telugu script, Tenglish spellings, vowel length', () => {
  const same = (...ws: string[]) => assert.equal(new Set(ws.map(phoneticKey)).size, 1, ws.join(' / '));
  same('ఆదాయం', 'aadayam', 'adayam', 'aadaayam');
  same('ధృవీకరణ', 'ధ్రువీకరణ', 'dhruvikarana', 'druveekarana');
  same('పత్రం', 'patram', 'pathram');
  same('పన్ను', 'pannu', 'panu');
  same('ఇంటి', 'inti');
  assert.deepEqual(keysOf('నాకు income certificate కావాలి please'), ['income', 'certipicate'], 'words that name no service are dropped');
  assert.deepEqual(keysOf('౧౨౩'), ['123'], 'Telugu digits');
});

const svc = (id: string, en: string, te: string, keywords: Partial<Service['keywords']> = {}): Service & { department: string } => ({
  id, name: { en, te }, summary: { en: en, te: te }, keywords: { en: [], te: [], romanised: [], ...keywords }, kind: 'information', fee: { amount: 0 }, sla_days: null,
  documents: [], jurisdiction: 'state', fields: [], popular: false, department: 'TST01',
});

test('finds the service from English with typos, Telugu script and romanised Telugu', () => {
  const search = createServiceSearch([
    svc('income-certificate', 'Income Certificate', 'ఆదాయ ధ్రువీకరణ పత్రం', { romanised: ['aadaya pathram'] }),
    svc('caste-certificate', 'Integrated (Caste) Certificate', 'కుల ధ్రువీకరణ పత్రం', { romanised: ['kula dhruvikarana patram'] }),
    svc('electricity-bill', 'Electricity bill payment', 'కరెంటు బిల్లు చెల్లింపు', { en: ['current bill', 'power bill'], romanised: ['karent bill'] }),
    svc('property-tax', 'Property tax payment', 'ఇంటి పన్ను చెల్లింపు', { en: ['house tax'], romanised: ['inti pannu'] }),
  ]);
  const top = (q: string) => search.search(q, 3)[0]?.id;
  assert.equal(top('incme certficate'), 'income-certificate');
  assert.equal(top('ఆదాయ ధృవీకరణ పత్రం కావాలి'), 'income-certificate');
  assert.equal(top('aadayam certificate kavali'), 'income-certificate');
  assert.equal(top('kula certificate'), 'caste-certificate');
  assert.equal(top('karent bil kattali'), 'electricity-bill');
  assert.equal(top('ఇంటి పన్ను'), 'property-tax');
  assert.deepEqual(search.search('kavali please'), [], 'nothing to go on: no guess');
});
