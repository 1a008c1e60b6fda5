// Reads the column-aligned tables kubectl prints (a tabwriter with 3 spaces of padding) and
// checks the alignment on the way: every cell starts exactly under its header and is separated
// from the previous column by at least one space — a misaligned row is an error, not a guess.
import { stripVTControlCharacters } from 'node:util';

export type Row = Record<string, string>;

interface Column {
  name: string;
  start: number;
}

/** Header names are separated by 3+ spaces; names may hold single spaces ("NOMINATED NODE"). */
function columnsOf(header: string): Column[] {
  const columns: Column[] = [];
  const pattern = /\S+(?: \S+)*/g;
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) {
    columns.push({ name: match[0], start: match.index });
  }
  for (let i = 1; i < columns.length; i++) {
    const gap = columns[i]!.start - (columns[i - 1]!.start + columns[i - 1]!.name.length);
    if (gap < 3) throw new Error(`header columns closer than kubectl's padding of 3: ${JSON.stringify(header)}`);
  }
  return columns;
}

/** Parses `text` (header line + rows); throws if a row is not aligned with the header. */
export function parseTable(text: string): Row[] {
  const lines = stripVTControlCharacters(text).split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error('expected a table, got no output');
  const columns = columnsOf(lines[0]!);
  return lines.slice(1).map((line) => parseRow(line, columns, lines[0]!));
}

function parseRow(line: string, columns: Column[], header: string): Row {
  const row: Row = {};
  columns.forEach((column, i) => {
    const next = columns[i + 1];
    const cell = line.slice(column.start, next ? next.start : undefined);
    if (cell.startsWith(' ') && cell.trim() !== '') {
      throw new Error(`cell ${column.name} starts right of its header:\n${header}\n${line}`);
    }
    if (column.start > 0 && line.length > column.start && line[column.start - 1] !== ' ') {
      throw new Error(`the cell before ${column.name} runs into it:\n${header}\n${line}`);
    }
    row[column.name] = cell.trim();
  });
  return row;
}

/** The one row whose `key` column equals `value`; throws listing the rows otherwise. */
export function rowWhere(rows: Row[], key: string, value: string): Row {
  const found = rows.filter((row) => row[key] === value);
  if (found.length !== 1) {
    throw new Error(`expected one row with ${key}=${value}, found ${found.length} in:\n${JSON.stringify(rows, null, 1)}`);
  }
  return found[0]!;
}
