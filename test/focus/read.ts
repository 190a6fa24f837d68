import { parse } from 'csv-parse/sync';
import type { Stack } from '../helpers/stack.js';
import { record } from '../helpers/transcript.js';

/** Reading FOCUS rows from the gateway, as a client would: the CSV parsed with a real parser, the connection page by page. */

/** A FOCUS column name as the graph spells its field: camelCase, `x_Name` as `xName`. */
export const fieldOf = (column: string) => (column.startsWith('x_') ? `x${column.slice(2)}` : column[0]!.toLowerCase() + column.slice(1));

/** A CSV export: its status, headers, header line and rows (an empty unquoted field is null, `""` an empty string). */
export async function exportCsv(stack: Stack, query: string, headers: Record<string, string> = {}) {
  const res = await stack.yoga.fetch(`http://gateway.test/export/focus.csv?${query}`, { headers });
  const text = await res.text();
  // The transcript's secrets scan reads what the gateway answered.
  record(`response ${res.status} GET /export/focus.csv`, text);
  if (res.status !== 200) return { status: res.status, headers: res.headers, text, columns: [] as string[], rows: [] as Record<string, string | null>[] };
  const records = parse(text, { cast: (value, context) => (context.quoting || value !== '' ? value : null) }) as (string | null)[][];
  const [columns = [], ...lines] = records as string[][];
  const rows = lines.map((line) => Object.fromEntries(columns.map((c, i) => [c, line[i] ?? null])));
  return { status: res.status, headers: res.headers, text, columns, rows };
}

/** The fields of FocusRow, from introspection. */
export async function focusFields(stack: Stack): Promise<string[]> {
  const r = await stack.query(`{ __type(name: "FocusRow") { fields { name } } }`);
  return r.data.__type.fields.map((f: { name: string }) => f.name);
}

/** Every row of the connection, `first` at a time, as FOCUS-named text values (the CSV's form). */
export async function connectionRows(stack: Stack, columns: string[], args: { billingPeriod: string; grain: string; organizationId?: string }, first = 200, headers: Record<string, string> = {}) {
  const selection = columns.map(fieldOf).join(' ');
  const rows: Record<string, string | null>[] = [];
  let after: string | null = null;
  let totalCount: number | null = null;
  for (let page = 0; page < 100; page++) {
    const r: any = await stack.query(
      `query($o: UUID, $p: BillingPeriod!, $g: FocusGrain, $first: Int, $after: String) { organization(id: $o) { focusRows(billingPeriod: $p, grain: $g, first: $first, after: $after) { totalCount edges { node { ${selection} } } pageInfo { hasNextPage endCursor } } } }`,
      { o: args.organizationId ?? null, p: args.billingPeriod, g: args.grain, first, after },
      headers,
    );
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    const c = r.data.organization.focusRows;
    totalCount = c.totalCount;
    for (const { node } of c.edges) rows.push(Object.fromEntries(columns.map((col) => [col, node[fieldOf(col)] === null ? null : String(node[fieldOf(col)])])));
    if (!c.pageInfo.hasNextPage) return { rows, totalCount };
    after = c.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}
