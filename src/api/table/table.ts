// Builds the meta.k8s.io/v1 Table kube-apiserver answers to `Accept: …;as=Table`: the kind's
// printer (always wide; kubectl hides priority-1 columns itself), the list's metadata, and each
// row's object as includeObject asks: PartialObjectMetadata (default), the object, or null.
//
//   objects ──printer.print──▶ cells ──┐
//   options.includeObject ─────────────┼──▶ rows ──▶ Table{metadata, columnDefinitions, rows}
//   options.listMeta, omitColumnDefinitions ────────────────────┘
import type { KubeObject } from '../registry/object.ts';
import { deploymentPrinter, replicaSetPrinter } from './apps.ts';
import { docs, column, nameColumn } from './columns.ts';
import { configMapPrinter, leasePrinter, namespacePrinter, secretPrinter, serviceAccountPrinter, servicePrinter } from './core.ts';
import { eventPrinter } from './event.ts';
import { nodePrinter } from './node.ts';
import { podPrinter } from './pod.ts';
import type { PartialObjectMetadata, PrintedRow, Printer, Table, TableOptions, TableRow } from './types.ts';

const printers: Readonly<Record<string, Printer>> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Event: eventPrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Service: servicePrinter,
  Lease: leasePrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
};

/** rest.NewDefaultTableConvertor, for kinds without a printer: NAME and CREATED AT. */
const defaultPrinter: Printer = {
  columns: [nameColumn, column('Created At', docs.creationTimestamp, { type: 'date' })],
  print: (obj: KubeObject): PrintedRow => ({
    cells: [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? '0001-01-01T00:00:00Z'],
  }),
};

export function printerFor(kind: string): Printer {
  return Object.hasOwn(printers, kind) ? printers[kind] : defaultPrinter;
}

export function toTable(kind: string, objects: readonly KubeObject[], options: TableOptions): Table {
  const printer = printerFor(kind);
  const rows: TableRow[] = objects.map((obj) => {
    const printed = printer.print(obj, options.now);
    const row: TableRow = { cells: printed.cells, object: rowObject(obj, options) };
    if (printed.conditions) row.conditions = printed.conditions;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta(options.listMeta),
    // Go leaves both slices nil (JSON null) where it has nothing to put in them.
    columnDefinitions: options.omitColumnDefinitions ? null : [...printer.columns],
    rows: rows.length || printer !== defaultPrinter ? rows : null,
  };
}

function rowObject(obj: KubeObject, options: TableOptions): TableRow['object'] {
  switch (options.includeObject) {
    case 'Object':
      return obj;
    case 'None':
      return null;
    case 'Metadata':
      return partialObjectMetadata(obj);
  }
}

function partialObjectMetadata(obj: KubeObject): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

function listMeta(meta: TableOptions['listMeta']): Table['metadata'] {
  const out: Table['metadata'] = {};
  if (meta?.resourceVersion) out.resourceVersion = meta.resourceVersion;
  if (meta?.continue) out.continue = meta.continue;
  if (meta?.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}
