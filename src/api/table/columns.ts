// Column definitions as Kubernetes' printers declare them; descriptions are the API's own field
// documentation (the swagger docs of v1.32), since clients may show them.
import type { TableColumnDefinition } from './types.ts';

export const docs = {
  name: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  creationTimestamp: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  containerNames: 'Names of each container in the template.',
  containerImages: 'Images referenced by each container in the template.',
};

interface ColumnOptions {
  type?: TableColumnDefinition['type'];
  format?: string;
  /** 1 for columns shown only with -o wide. */
  priority?: number;
}

export function column(name: string, description: string, options: ColumnOptions = {}): TableColumnDefinition {
  return { name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 };
}

export const nameColumn = column('Name', docs.name, { format: 'name' });
export const ageColumn = column('Age', docs.creationTimestamp);
export const wide = { priority: 1 };
export const integer = { type: 'integer' } as const;
