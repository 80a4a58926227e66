import { createServiceSearch, type Catalog, type Department, type ListEntry, type Service, type ServiceSearch } from '../catalog/index.ts';

/** A service with the department that runs it. */
export interface ServiceEntry {
  service: Service;
  department: Department;
}

/** The catalogue as the conversation reads it: services by id, popular ones, search, shared lists. */
export interface Directory {
  departments: Department[];
  service(id: string): ServiceEntry | undefined;
  popular: ServiceEntry[];
  search: ServiceSearch;
  list(name: string): ListEntry[];
  serviceCount: number;
}

export function createDirectory(catalog: Catalog): Directory {
  const byId = new Map<string, ServiceEntry>();
  for (const department of catalog.departments) for (const service of department.services) byId.set(service.id, { service, department });
  const entries = [...byId.values()];
  return {
    departments: catalog.departments,
    service: (id) => byId.get(id),
    popular: entries.filter((e) => e.service.popular),
    search: createServiceSearch(entries.map((e) => ({ ...e.service, department: e.department.code, departmentName: e.department.name }))),
    list: (name) => catalog.lists.get(name) ?? [],
    serviceCount: entries.length,
  };
}
