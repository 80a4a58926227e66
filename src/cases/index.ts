export { fileCase, type FiledCase, type NewCase } from './file-case.ts';
export { findCitizenCase, listCitizenCases, type CaseSummary } from './citizen-cases.ts';
export { nextReference, normaliseReference } from './reference.ts';
