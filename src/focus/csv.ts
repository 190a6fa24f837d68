import { FOCUS_COLUMNS, FOCUS_FIELDS, type FocusRow } from './columns.js';

/**
 * FOCUS rows as CSV (RFC 4180): CRLF line ends, a header of FOCUS column names (`x_` columns last),
 * a field quoted when it holds a quote, a comma, a line break or leading/trailing spaces, quotes
 * doubled. A null is an empty unquoted field; an empty string is `""`, so the two stay apart.
 * Values are written exactly as FOCUS has them: a text starting with `=`, `+`, `-` or `@` is not
 * altered (see docs/security.md on spreadsheets).
 */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function cell(value: string | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === '' || NEEDS_QUOTES.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** The header line. */
export function csvHeader(): string {
  return `${FOCUS_FIELDS.map((field) => FOCUS_COLUMNS[field].name).join(',')}\r\n`;
}

const cells: string[] = [];

/** One row's line, as one flat string (a line built with `+=` is a tree of its 57 pieces until read). */
export function csvLine(row: FocusRow): string {
  const last = FOCUS_FIELDS.length - 1;
  for (let i = 0; i < last; i++) cells[i] = cell(row[FOCUS_FIELDS[i]!]);
  cells[last] = `${cell(row[FOCUS_FIELDS[last]!])}\r\n`;
  return cells.join(',');
}
