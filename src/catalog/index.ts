export { loadCatalog, type Catalog, type CatalogProblem, type CatalogResult, type Department } from './load.ts';
export { Bilingual, DepartmentFile, Field, Service, FIELD_TYPES, KINDS, JURISDICTIONS } from './schema.ts';
export { loadLists, parseCsv, type ListEntry } from './lists.ts';
export { createServiceSearch, keysOf, phoneticKey, type SearchHit, type ServiceSearch } from './search.ts';
