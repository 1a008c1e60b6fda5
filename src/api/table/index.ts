// The Table component: what the codec calls to answer `as=Table` requests.
import type { KubeObject } from '../registry/object.ts';
import { toTable } from './table.ts';
import type { Table, TableOptions } from './types.ts';

export { toTable, printerFor } from './table.ts';
export { humanDuration, translateTimestampSince } from './duration.ts';
export { podSummary } from './pod.ts';
export type * from './types.ts';

export const tablePrinter: { toTable(kind: string, objects: KubeObject[], options: TableOptions): Table } = { toTable };
