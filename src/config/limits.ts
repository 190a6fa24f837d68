/** Every limit on what one request may ask, in one place (docs/security.md, docs/configuration.md). */
export interface QueryLimits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliases in one operation (each alias can multiply upstream work). */
  maxAliases: number;
  /** Lexical tokens in one document (parsing cost). */
  maxTokens: number;
  /** Rows one request may ask for: the cost of every operation of a batch, summed (see cost.ts). */
  maxTotalFirst: number;
  /** Operations in one batched HTTP request (a JSON array); 1 disables batching. */
  maxBatch: number;
  /** Upstream calls one request may make (every operation of a batch together). */
  maxUpstreamCalls: number;
  /** Rows one request may answer (edges of every connection, every operation of a batch together). */
  maxResponseRows: number;
  /** Request body size, bytes. */
  maxBodyBytes: number;
  introspection: boolean;
}

/** The defaults (docs/configuration.md); each has an environment variable. */
export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5_000,
  maxTotalFirst: 3_000,
  maxBatch: 10,
  maxUpstreamCalls: 100,
  maxResponseRows: 5_000,
  maxBodyBytes: 1_048_576,
  introspection: true,
};

/** What one `GET /export/focus.csv` may spend: its own budget, apart from the graph's (docs/focus.md). */
export interface FocusExportLimits {
  /** Upstream calls one export may make (`FOCUS_EXPORT_MAX_UPSTREAM_CALLS`). */
  maxUpstreamCalls: number;
  /** Longest time one export may take, its transfer included (`FOCUS_EXPORT_TIMEOUT_MS`). */
  timeoutMs: number;
}

/** A month of 1,000,000 FinOps charges at 1,000 a page; five minutes. */
export const DEFAULT_FOCUS_EXPORT_LIMITS: FocusExportLimits = { maxUpstreamCalls: 1_000, timeoutMs: 300_000 };
