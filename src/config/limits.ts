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
