import { z } from 'zod';

// The catalogue format: one YAML file per department under catalog/departments/. Services are data:
// adding one is a YAML change, never a code change. Every citizen-facing text has Telugu and English.

const text = (what: string) =>
  z.object(
    {
      te: z.string({ error: `${what} needs a Telugu text (te)` }).trim().min(1, `${what} in Telugu (te) is empty`),
      en: z.string({ error: `${what} needs an English text (en)` }).trim().min(1, `${what} in English (en) is empty`),
    },
    { error: `${what} must have a Telugu (te) and an English (en) text` },
  ).strict();

export const Bilingual = text('this text');
export type Bilingual = z.infer<typeof Bilingual>;

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are lowercase words joined by hyphens, e.g. income-certificate');
const fieldId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'field ids are lowercase words joined by underscores, e.g. annual_income');

export const FIELD_TYPES = ['text', 'person_name', 'number', 'money', 'date', 'yes_no', 'choice', 'mobile', 'pin_code', 'email', 'aadhaar', 'media', 'location'] as const;

const option = z.object({ id: fieldId, label: text('an option label') }).strict();

export const Field = z
  .object({
    id: fieldId,
    type: z.enum(FIELD_TYPES, { error: `type must be one of ${FIELD_TYPES.join(', ')}` }),
    label: text('a field label'),
    help: text('a field help text').optional(),
    required: z.boolean().default(true),
    /** choice: a static list… */
    options: z.array(option).min(2, 'a choice needs at least two options').optional(),
    /** …or a shared list such as ap-districts, ap-mandals (filtered by the field named in `within`). */
    list: z.string().optional(),
    within: fieldId.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** media: what to ask for, e.g. a photo of the ration card. */
    accept: z.array(z.enum(['image', 'document'])).optional(),
    /** date: whether it may lie in the past or the future. */
    when: z.enum(['past', 'future', 'any']).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.type === 'choice' && !f.options && !f.list) ctx.addIssue({ code: 'custom', message: 'a choice field needs options or a shared list', path: ['type'] });
    if (f.type !== 'choice' && (f.options || f.list)) ctx.addIssue({ code: 'custom', message: `options and list belong to choice fields, not ${f.type}`, path: ['options'] });
    if (f.within && !f.list) ctx.addIssue({ code: 'custom', message: 'within filters a shared list; set list too', path: ['within'] });
  });
export type Field = z.infer<typeof Field>;

export const KINDS = ['application', 'payment', 'booking', 'lookup', 'grievance', 'information'] as const;
export const JURISDICTIONS = ['state', 'district', 'mandal', 'village'] as const;

const Stage = z
  .object({
    id: fieldId,
    name: text('a stage name'),
    /** Who acts at this stage, e.g. VRO, RI, Tahsildar. */
    role: z.string().min(1),
    level: z.enum(JURISDICTIONS),
    sla_days: z.number().min(0),
  })
  .strict();

export const Service = z
  .object({
    id,
    name: text('the service name'),
    summary: text('the service summary'),
    keywords: z
      .object({
        en: z.array(z.string().min(1)).default([]),
        te: z.array(z.string().min(1)).default([]),
        /** Telugu typed in Latin letters, as citizens type it: "aadayam", "kula dhruvikarana". */
        romanised: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    kind: z.enum(KINDS, { error: `kind must be one of ${KINDS.join(', ')}` }),
    /** The head of department or body that runs it (CCLA, APSPDCL, APSRTC…). */
    body: z.string().optional(),
    fee: z.object({ amount: z.number().min(0, 'a fee cannot be negative'), note: text('a fee note').optional() }).strict(),
    sla_days: z.number().min(0, 'an SLA cannot be negative').nullable(),
    eligibility: text('the eligibility note').optional(),
    documents: z.array(text('a required document')).default([]),
    jurisdiction: z.enum(JURISDICTIONS).default('state'),
    fields: z.array(Field).default([]),
    /** Applications: the officer workflow, in order. */
    workflow: z.array(Stage).optional(),
    /** Applications: the document issued on approval. */
    issues: z.object({ document: id, title: text('the issued document title'), valid_days: z.number().int().positive().optional() }).strict().optional(),
    /** Information services: what to tell the citizen. */
    information: text('the information text').optional(),
    popular: z.boolean().default(false),
    /** Where the facts come from (a URL or a reference-data row). */
    source: z.string().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.fields.forEach((f, i) => {
      if (ids.has(f.id)) ctx.addIssue({ code: 'custom', message: `field id ${f.id} is used twice`, path: ['fields', i, 'id'] });
      if (f.within && !ids.has(f.within)) ctx.addIssue({ code: 'custom', message: `within names ${f.within}, which must be an earlier field`, path: ['fields', i, 'within'] });
      ids.add(f.id);
    });
    if (s.kind === 'application') {
      if (s.fields.length === 0) ctx.addIssue({ code: 'custom', message: 'an application asks at least one field', path: ['fields'] });
      if (!s.workflow?.length) ctx.addIssue({ code: 'custom', message: 'an application needs a workflow: the officers who act on it, in order', path: ['workflow'] });
    }
    if (s.kind === 'information' && !s.information) ctx.addIssue({ code: 'custom', message: 'an information service needs its information text', path: ['information'] });
    if (s.workflow && s.sla_days !== null) {
      const total = s.workflow.reduce((n, st) => n + st.sla_days, 0);
      if (total > s.sla_days) ctx.addIssue({ code: 'custom', message: `the stages take ${total} days, more than the service's SLA of ${s.sla_days}`, path: ['workflow'] });
    }
  });
export type Service = z.infer<typeof Service>;

export const DepartmentFile = z
  .object({
    department: z
      .object({
        /** The state's own department code (codes.ap.gov.in), e.g. REV01. */
        code: z.string().regex(/^[A-Z]{3}\d{2}$/, 'department codes look like REV01'),
        name: text('the department name'),
        /** Code prefix in reference numbers, e.g. REV in REV-26-000123. */
        prefix: z.string().regex(/^[A-Z]{2,5}$/, 'a reference prefix is 2 to 5 capital letters'),
      })
      .strict(),
    services: z.array(Service).min(1, 'a department file lists at least one service'),
  })
  .strict();
export type DepartmentFile = z.infer<typeof DepartmentFile>;
