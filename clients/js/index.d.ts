// Types of genre-sync-client (hand-written; the package has no build step).
import type { Sql } from "postgres";

export type Table = "tune" | "note" | "reference";
export declare const TABLES: readonly Table[];

/** A row as sync_pull sent it: every timestamp is the server's text. */
export interface Row {
  id: string;
  last_modified_at: string;
  deleted?: boolean;
  [column: string]: unknown;
}

/** One sync_pull envelope (docs/protocol.md, "The page envelope"). */
export interface Page {
  rows: Row[];
  removed: string[];
  catch_up: boolean;
  row_count: number;
  has_more: boolean;
  next_cursor: string | null;
  cursor: string | null;
  until: string | null;
  horizon: string | null;
  horizon_cursor: string | null;
  horizon_source: "primary" | "published" | "unknown";
  horizon_reason: string | null;
  genres: string[];
  genres_hash: string;
  table: Table;
}

export interface Sink {
  /** Upsert by id. Called after onRemove for the same page. */
  onRows(table: Table, rows: Row[]): void | Promise<void>;
  /** Delete these ids (the envelope's `removed`); ids never held may be among them. */
  onRemove(table: Table, ids: string[]): void | Promise<void>;
}

export interface CallOptions { signal?: AbortSignal }

export interface PartitionBound {
  part: number;
  after_cursor: string | null;
  until_cursor: string | null;
  estimated_rows: number;
}

export interface RangeChecksum { row_count: number; checksum: string }

/** How one call reaches the server; both transports below implement it. */
export interface Transport {
  readonly kind: string;
  pull(args: { table: Table; user: string; genres?: string[] | null; cursor?: string | null;
               limit?: number; until?: string | null }, options?: CallOptions): Promise<Page>;
  partitionBounds(args: { table: Table; user: string; genres?: string[] | null; parts: number },
                  options?: CallOptions): Promise<PartitionBound[]>;
  rangeChecksum(args: { table: Table; user: string; genres?: string[] | null; after?: string | null;
                        until?: string | null }, options?: CallOptions): Promise<RangeChecksum>;
  /** Rows with key in (after, until] (positions), by the keyset page functions. */
  fetchRange(args: { table: Table; user: string; genres?: string[] | null; after?: string | null;
                     until?: string | null; limit?: number }, options?: CallOptions): Promise<Row[]>;
}

/** postgres.js: `max` of the instance bounds a parallel pull's connections. */
export declare function postgresTransport(sql: Sql<any>): Transport;

/** PostgREST: POST <url>/rpc/<function>, named arguments, Bearer token, global fetch. */
export declare function postgrestTransport(options: {
  url: string;
  jwt?: string | (() => string | Promise<string>);
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}): Transport;

export type Cursors = Partial<Record<Table, string | null>>;

export interface TableStats {
  pages: number; rows: number; removed: number;
  catchUpPages?: number;
  /** Parallel pulls: ranges fetched, retries, the connection limit over time. */
  parts?: number; retries?: number; connections?: number[];
  /** Parallel pulls: the range the horizon stopped short (its cursor was kept). */
  cutByHorizon?: number;
}

export interface PullResult {
  /** Store these, per table, as the text they are. */
  cursors: Cursors;
  /** The position each pull was bounded at (the first page's horizon_cursor). */
  until: Partial<Record<Table, string | null>>;
  stats: Partial<Record<Table, TableStats>>;
}

export interface PullOptions extends CallOptions {
  /** Default: all three, tunes first. */
  tables?: Table[];
  table?: Table;
  /** Stored cursors; null or absent: a first sync. */
  cursors?: Cursors;
  sink: Sink;
  /** Called after each applied page (sequential pulls): a checkpoint. */
  onCursor?(table: Table, cursor: string | null): void | Promise<void>;
}

export interface ParallelOptions extends Omit<PullOptions, "onCursor"> {
  /** Parts per table for sync_partition_bounds (default: connections). */
  parts?: number;
  /** Most concurrent calls (default: createSync's maxConnections). */
  connections?: number;
}

/** A replica's key: micros as text/number/bigint, or last_modified_at as the server's text. */
export type ReplicaKey = { id: string; micros: string | number | bigint } | { id: string; last_modified_at: string };

export interface VerifyResult {
  ok: boolean;
  /** Checksum calls made. */
  checks: number;
  /** Ranges too large to list: re-fetch them (refetch/repair). Bounds are positions. */
  ranges: { after: string | null; until: string | null; serverCount: number; replicaCount: number }[];
  /** Ids the replica lacks or holds at another last_modified_at; their rows are in `rows`. */
  missing: string[];
  /** Ids the replica holds that the server's range has not. */
  extra: string[];
  rows: Row[];
}

export interface SyncClient {
  readonly user: string;
  readonly transport: Transport;
  pull(options: PullOptions): Promise<PullResult>;
  pullParallel(options: ParallelOptions): Promise<PullResult>;
  verify(table: Table, replicaKeys: ReplicaKey[],
         options?: CallOptions & { after?: string | null; until?: string | null; smallRange?: number }): Promise<VerifyResult>;
  refetch(table: Table, ranges: VerifyResult["ranges"], sink: Sink, options?: CallOptions): Promise<number>;
  repair(table: Table, found: VerifyResult, sink: Sink, options?: CallOptions): Promise<number>;
}

export declare function createSync(options: {
  transport: Transport;
  user: string;
  /** p_genre_ids; null (default): the user's effective genres. */
  genres?: string[] | null;
  pageSize?: number;
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxConnections?: number;
  signal?: AbortSignal;
  onRetry?(error: unknown, attempt: number): void;
}): SyncClient;

export declare class SyncError extends Error {
  code?: string;
  status?: number;
  detail?: string;
  hint?: string;
}
export declare function isRetryable(error: unknown): boolean;
export declare function isPressure(error: unknown): boolean;
export declare function backoffDelay(attempt: number, options?: { baseDelayMs?: number; maxDelayMs?: number },
                                     random?: () => number): number;
export declare function withRetry<T>(fn: (attempt: number) => Promise<T>, options?: {
  retries?: number; baseDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal;
  onRetry?(error: unknown, attempt: number): void;
}): Promise<T>;

export declare function microsFromText(timestamp: string): string;
export declare function timestampFromMicros(micros: string | number | bigint): string;
export declare function positionOf(key: { id: string; micros: string }): string;
export declare function parsePosition(position: string | null): { micros: string; id: string } | null;
export declare function compareKeys(a: { id: string; micros: string }, b: { id: string; micros: string }): number;
export declare function checksumOf(keys: Iterable<{ id: string; micros: string }>): string;
export declare function normalizeKey(key: ReplicaKey): { id: string; micros: string };
