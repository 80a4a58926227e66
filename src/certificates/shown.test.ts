import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseRow } from '../cases/index.ts';
import { loadCatalog, type Catalog } from '../catalog/index.ts';
import type { Field } from '../catalog/schema.ts';
import { certificateContents } from './contents.ts';
import { labelsOf, shownOf } from './shown.ts';

const loaded = loadCatalog('catalog');
if (!loaded.ok) throw new Error('catalogue');

// A form whose two questions share their first 16 characters, the first of them optional.
const income = loaded.catalog.services.get('income-certificate')!;
const fields: Field[] = [
  ...income.fields,
  { id: 'guardian_name_of_father', type: 'text', label: { te: 'తండ్రి పేరు', en: "Father's name" }, required: false } as Field,
  { id: 'guardian_name_of_mother', type: 'text', label: { te: 'తల్లి పేరు', en: "Mother's name" } } as Field,
];
const service: typeof income = { ...income, id: 'guardian-certificate', fields, issues: { ...income.issues!, document: 'guardian-certificate' } };
const catalog: Catalog = { ...loaded.catalog, services: new Map([...loaded.catalog.services, [service.id, service]]) };

test('two questions whose ids clash in their first 16 characters keep their own labels on the verify page, answered or not', () => {
  const answers = { applicant_name: 'Ravi', district: 'guntur', mandal: 'guntur/tenali', guardian_name_of_mother: 'Lakshmi' };
  const c = { reference: 'REV-26-000001', department: 'REV01', answers } as unknown as CaseRow;
  const contents = certificateContents(catalog, service, c, { name: 'K. Ramesh', designation: { te: 'తహసీల్దార్', en: 'Tahsildar' } });
  const shown = shownOf(labelsOf(catalog), {
    documentType: 'guardian-certificate', issuer: 'REV01', documentNumber: 'X', holderName: contents.holderName, issuedAt: 0, fields: contents.claims,
  } as Parameters<typeof shownOf>[1]);
  const mother = shown.fields.find((f) => f.value === 'Lakshmi');
  assert.deepEqual(mother?.label, { te: 'తల్లి పేరు', en: "Mother's name" }, 'the mother\'s name is not shown under the father\'s label, nor under a raw key');
  for (const f of shown.fields) assert.ok(!Object.hasOwn(contents.claims, f.label.en), `a raw claim key shown as a label: ${f.label.en}`);
});
