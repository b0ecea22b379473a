// The worker loop of docs/protocol.md, sequential and parallel, and verify().
import { SyncError, abortError, backoffDelay, isPressure, isRetryable, sleep, withRetry } from "./errors.js";
import { checksumOf, compareKeys, normalizeKey, parsePosition, positionOf, microsFromText } from "./keys.js";

/** The tables, in the order a pull of all of them takes: tunes first. */
export const TABLES = Object.freeze(["tune", "note", "reference"]);

function tablesOf(opt) {
  const list = opt === undefined ? TABLES : Array.isArray(opt) ? opt : [opt];
  for (const t of list) if (!TABLES.includes(t)) throw new SyncError(`unknown table ${t}`, { code: "22023" });
  return TABLES.filter((t) => list.includes(t));
}

function checkSink(sink) {
  if (!sink || typeof sink.onRows !== "function" || typeof sink.onRemove !== "function")
    throw new TypeError("sink needs onRows(table, rows) and onRemove(table, ids)");
}

function checkPage(page, table) {
  if (!page || !Array.isArray(page.rows) || typeof page.has_more !== "boolean")
    throw new SyncError(`sync_pull(${table}) returned no envelope`, { code: "XX000" });
}

/**
 * A sync client bound to one transport and one user.
 *
 *   const sync = createSync({ transport: postgresTransport(sql), user });
 *   const { cursors } = await sync.pull({ cursors: stored, sink });
 */
export function createSync({
  transport, user, genres = null, pageSize = 1000, retries = 5, baseDelayMs = 100, maxDelayMs = 5000,
  maxConnections = 4, signal: defaultSignal, onRetry,
}) {
  if (!transport) throw new TypeError("createSync needs a transport");
  if (!user) throw new TypeError("createSync needs a user");
  const retryOpts = (signal) => ({ retries, baseDelayMs, maxDelayMs, signal, onRetry });

  // One table, sequentially, from `cursor`: apply removed then rows of each
  // page, follow has_more, bound the pull at the first page's horizon_cursor.
  async function pullTable(table, cursor, sink, signal, onCursor) {
    let until = null;
    const stats = { pages: 0, rows: 0, removed: 0, catchUpPages: 0 };
    for (;;) {
      const args = { table, user, genres, cursor, limit: pageSize, until };
      const page = await withRetry(() => transport.pull(args, { signal }), retryOpts(signal));
      checkPage(page, table);
      if (signal?.aborted) throw abortError(signal);
      if (page.removed?.length) await sink.onRemove(table, page.removed);
      if (page.rows.length) await sink.onRows(table, page.rows);
      stats.pages++; stats.rows += page.rows.length; stats.removed += page.removed?.length ?? 0;
      if (page.catch_up) stats.catchUpPages++;
      until ??= page.horizon_cursor ?? null;
      cursor = page.next_cursor ?? cursor;
      if (onCursor) await onCursor(table, cursor);
      if (!page.has_more) break;
    }
    return { cursor, until, stats };
  }

  /**
   * Pulls `tables` (default: all three, tunes first) from `cursors` (per
   * table, null or absent on a first sync) into `sink`. Returns the new cursors
   * (store them as the text they are), the bound each pull used, and counts.
   */
  async function pull({ tables, table, cursors = {}, sink, signal = defaultSignal, onCursor } = {}) {
    checkSink(sink);
    const result = { cursors: { ...cursors }, until: {}, stats: {} };
    for (const t of tablesOf(tables ?? table)) {
      const r = await pullTable(t, cursors[t] ?? null, sink, signal, onCursor);
      result.cursors[t] = r.cursor; result.until[t] = r.until; result.stats[t] = r.stats;
    }
    return result;
  }

  // Neighbouring parts whose estimates fit in one page together become one.
  function mergeParts(bounds) {
    const out = [];
    for (const b of bounds) {
      const prev = out[out.length - 1];
      if (prev && prev.estimated_rows + b.estimated_rows <= pageSize) {
        prev.until_cursor = b.until_cursor; prev.estimated_rows += b.estimated_rows; prev.parts.push(b.part);
      } else out.push({ ...b, parts: [b.part] });
    }
    return out;
  }

  // One table's first sync in parts over at most `connections` concurrent calls.
  async function pullTableParallel(table, sink, signal, { parts, connections }) {
    const bounds = await withRetry(
      () => transport.partitionBounds({ table, user, genres, parts }, { signal }), retryOpts(signal));
    if (!bounds.length) return pullTable(table, null, sink, signal);
    const ranges = mergeParts(bounds).map((b, i, all) => ({
      index: i, last: i === all.length - 1, estimated: b.estimated_rows, until: b.until_cursor,
      cursor: b.after_cursor, horizon: null, attempts: 0, done: false, pages: 0, rows: 0, removed: 0,
    }));
    const stats = { parts: ranges.length, pages: 0, rows: 0, removed: 0, retries: 0, connections: [] };
    let limit = Math.max(1, Math.min(connections, ranges.length));
    stats.connections.push(limit);
    const queue = [...ranges].sort((a, b) => b.estimated - a.estimated || a.index - b.index);
    let chain = Promise.resolve();
    const apply = (job) => (chain = chain.then(job));
    const inner = new AbortController();
    const stop = () => inner.abort(signal?.reason);
    signal?.addEventListener("abort", stop, { once: true });

    async function runRange(r) {
      for (;;) {
        if (inner.signal.aborted) throw abortError(inner.signal);
        const page = await transport.pull(
          { table, user, genres, cursor: r.cursor, limit: pageSize, until: r.until }, { signal: inner.signal });
        checkPage(page, table);
        await apply(async () => {
          if (page.removed?.length) await sink.onRemove(table, page.removed);
          if (page.rows.length) await sink.onRows(table, page.rows);
        });
        r.attempts = 0; r.pages++; r.rows += page.rows.length; r.removed += page.removed?.length ?? 0;
        if (r.last) r.until ??= page.horizon_cursor ?? null;
        r.horizon = page.horizon_cursor ?? r.horizon;
        r.cursor = page.next_cursor ?? r.cursor;
        if (!page.has_more) { r.done = true; return; }
      }
    }

    try {
      await new Promise((resolve, reject) => {
        let active = 0, waiting = 0, failed = false;
        const fail = (err) => { if (!failed) { failed = true; inner.abort(err); reject(err); } };
        const pump = () => {
          if (failed) return;
          while (active < limit && queue.length) {
            const r = queue.shift();
            active++;
            runRange(r).then(() => { active--; pump(); }, (err) => { active--; onError(r, err); });
          }
          if (!queue.length && !active && !waiting) resolve();
        };
        const onError = (r, err) => {
          if (failed) return;
          if (signal?.aborted) return fail(abortError(signal));
          if (!isRetryable(err) || ++r.attempts > retries) return fail(err);
          stats.retries++;
          if (isPressure(err)) {
            const next = Math.max(1, Math.min(limit - 1, active));
            if (next !== limit) { limit = next; stats.connections.push(limit); }
          }
          onRetry?.(err, r.attempts);
          waiting++;
          sleep(backoffDelay(r.attempts, { baseDelayMs, maxDelayMs }), inner.signal).then(
            () => { waiting--; queue.unshift(r); pump(); },
            (e) => { waiting--; fail(signal?.aborted ? abortError(signal) : e); });
        };
        pump();
      });
      await chain;
    } finally {
      signal?.removeEventListener("abort", stop);
    }
    for (const r of ranges) { stats.pages += r.pages; stats.rows += r.rows; stats.removed += r.removed; }
    // The stored cursor is the last range's. A range that the horizon stopped
    // short of its until (a transaction still running) has rows after its end
    // that may still commit: then its cursor is the safe one (what follows it
    // comes again next time, at least once).
    let cursor = ranges[ranges.length - 1].cursor;
    for (const r of ranges.slice(0, -1)) {
      const h = parsePosition(r.horizon), u = parsePosition(r.until);
      if (h && u && compareKeys(h, u) < 0) { cursor = r.cursor; stats.cutByHorizon = r.index; break; }
    }
    return { cursor, until: ranges[ranges.length - 1].until, stats };
  }

  /**
   * A first sync in parallel: each table's rows cut by sync_partition_bounds
   * into `parts` ranges, fetched over at most `maxConnections` concurrent calls,
   * largest range first; fewer connections when the server refuses them or
   * times out. Tables with a stored cursor are pulled sequentially.
   */
  async function pullParallel({ tables, table, cursors = {}, sink, parts, connections = maxConnections,
                                signal = defaultSignal } = {}) {
    checkSink(sink);
    const result = { cursors: { ...cursors }, until: {}, stats: {} };
    for (const t of tablesOf(tables ?? table)) {
      const r = cursors[t]
        ? await pullTable(t, cursors[t], sink, signal)
        : await pullTableParallel(t, sink, signal, { parts: parts ?? connections, connections });
      result.cursors[t] = r.cursor; result.until[t] = r.until; result.stats[t] = r.stats;
    }
    return result;
  }

  /**
   * Compares the server's sync_range_checksum of (after, until] with the same
   * sum over `replicaKeys` ({id, micros} or {id, last_modified_at}; for tunes
   * the non-deleted ones), bisecting at the replica's own keys down to the
   * ranges that differ. Small ranges (at most `smallRange` rows on either side)
   * are listed: `rows` to upsert (missing or stale), `missing` and `extra` ids.
   * Larger ones come back in `ranges`, to re-fetch with refetch().
   */
  async function verify(table, replicaKeys, { after = null, until = null, smallRange = 32, signal = defaultSignal } = {}) {
    tablesOf(table);
    const keys = replicaKeys.map(normalizeKey).sort(compareKeys);
    const out = { ok: true, checks: 0, ranges: [], missing: [], extra: [], rows: [] };
    const call = (fn) => withRetry(fn, retryOpts(signal));
    const inRange = (k) => (!after || compareKeys(k, parsePosition(after)) > 0) && (!until || compareKeys(k, parsePosition(until)) <= 0);
    const local = keys.filter(inRange);
    const extraIds = new Set();

    async function check(a, u, lo, hi) {
      const server = await call(() => transport.rangeChecksum({ table, user, genres, after: a, until: u }, { signal }));
      out.checks++;
      const mine = local.slice(lo, hi);
      if (server.row_count === mine.length && server.checksum === checksumOf(mine)) return;
      out.ok = false;
      if (server.row_count <= smallRange && mine.length <= smallRange) {
        const rows = (await call(() => transport.fetchRange(
          // The range's deleted tunes come too (and are dropped below): room for them.
          { table, user, genres, after: a, until: u, limit: Math.max(pageSize, server.row_count + 1) }, { signal })))
          .filter((r) => table !== "tune" || !r.deleted);
        const have = new Set(mine.map((k) => `${k.id}:${k.micros}`));
        const theirs = new Set();
        for (const r of rows) {
          const key = `${r.id}:${microsFromText(r.last_modified_at)}`;
          theirs.add(key);
          if (!have.has(key)) { out.missing.push(r.id); out.rows.push(r); }
        }
        for (const k of mine) if (!theirs.has(`${k.id}:${k.micros}`)) extraIds.add(k.id);
        return;
      }
      if (hi - lo >= 2) {
        const mid = lo + Math.floor((hi - lo) / 2);
        const cut = positionOf(local[mid - 1]);
        await check(a, cut, lo, mid);
        await check(cut, u, mid, hi);
        return;
      }
      out.ranges.push({ after: a, until: u, serverCount: server.row_count, replicaCount: mine.length });
    }
    await check(after, until, 0, local.length);
    // An id whose row moved appears as extra at its old key and missing at its new one.
    const fetched = new Set(out.rows.map((r) => r.id));
    out.extra = [...extraIds].filter((id) => !fetched.has(id));
    return out;
  }

  /** Every row of the ranges (from verify()) into sink.onRows, paging by key. */
  async function refetch(table, ranges, sink, { signal = defaultSignal } = {}) {
    let n = 0;
    for (const range of ranges) {
      let a = range.after ?? null;
      for (;;) {
        const rows = await withRetry(() => transport.fetchRange(
          { table, user, genres, after: a, until: range.until ?? null, limit: pageSize }, { signal }), retryOpts(signal));
        if (rows.length) await sink.onRows(table, rows);
        n += rows.length;
        if (rows.length < pageSize) break;
        const lastRow = rows[rows.length - 1];
        a = positionOf({ id: lastRow.id, micros: microsFromText(lastRow.last_modified_at) });
      }
    }
    return n;
  }

  /** Applies what verify() found: extra ids removed, listed rows upserted, ranges re-fetched. */
  async function repair(table, found, sink, opts) {
    checkSink(sink);
    if (found.extra.length) await sink.onRemove(table, found.extra);
    if (found.rows.length) await sink.onRows(table, found.rows);
    return found.rows.length + (found.ranges.length ? await refetch(table, found.ranges, sink, opts) : 0);
  }

  return { pull, pullParallel, verify, refetch, repair, user, transport };
}
