export { casesApi, type CasesApiOptions } from './cases-api.ts';
export { answerViews, type AnswerView } from './answers.ts';
export { docsPage, openApiDocument } from './openapi.ts';
export { officePages } from './pages.ts';
