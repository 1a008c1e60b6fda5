// The meta.k8s.io/v1 Table shapes (kubernetes-types has no Table) and what a printer provides.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject: IncludeObject;
  now: Date;
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Watch events after the first carry no column definitions. */
  omitColumnDefinitions?: boolean;
}

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** null for includeObject=None, as Kubernetes encodes an empty RawExtension. */
  object: KubeObject | PartialObjectMetadata | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[] | null;
}

/** One printed row: its cells (all columns, wide ones included) and optional conditions. */
export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

/** How one kind prints: its columns and a row per object. */
export interface Printer {
  columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, now: Date): PrintedRow;
}
