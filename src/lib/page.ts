/** Pages as upstream lists return them: shared by the clients that read them and the adapter that slices them. */

/** One page of a page-number list, with the upstream's count of the whole list. */
export interface Page<T> {
  rows: T[];
  totalCount: number;
}

/** One page of a token-paged list; `nextToken` absent on the last page. */
export interface TokenPage<T> {
  rows: T[];
  nextToken?: string;
}
