// Transports: how one call reaches the server. Each returns plain objects in
// which every cursor, position and timestamp is the exact text the server wrote.
import { SyncError, abortError } from "./errors.js";
import { parsePosition, timestampFromMicros } from "./keys.js";

const PAGE_FUNCTIONS = { note: "sync_notes_page", reference: "sync_references_page", tune: "sync_tunes_page" };

function rangeArgs(after, until) {
  const a = parsePosition(after), u = parsePosition(until);
  return {
    p_after_timestamp: a ? `${timestampFromMicros(a.micros)}+00` : null,
    p_after_id: a ? a.id : null,
    p_until_timestamp: u ? `${timestampFromMicros(u.micros)}+00` : null,
    p_until_id: u ? u.id : null,
  };
}

/**
 * The postgres.js transport. `sql` is the app's own postgres.js instance; its
 * `max` is the most connections a parallel pull can use. Every result is read
 * as text (`::text`) and JSON.parse'd, so nothing becomes a Date whatever the
 * instance's type parsers.
 */
export function postgresTransport(sql) {
  async function run(query, signal) {
    if (signal?.aborted) throw abortError(signal);
    const onAbort = () => query.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await query;
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      throw err;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
  const arr = (genres) => (genres == null ? null : sql.array(genres, 25));
  return {
    kind: "postgres",
    async pull({ table, user, genres = null, cursor = null, limit = 1000, until = null }, { signal } = {}) {
      const [{ page }] = await run(sql`
        SELECT sync_pull(${table}::text, ${user}::uuid, ${arr(genres)}::text[], ${cursor}::text,
                         ${limit}::int, ${until}::text)::text AS page`, signal);
      return JSON.parse(page);
    },
    async partitionBounds({ table, user, genres = null, parts }, { signal } = {}) {
      const rows = await run(sql`
        SELECT part::int AS part, after_cursor, until_cursor, estimated_rows::text AS estimated_rows
        FROM sync_partition_bounds(${table}::text, ${user}::uuid, ${arr(genres)}::text[], ${parts}::int)
        ORDER BY part`, signal);
      return rows.map((r) => ({ ...r, estimated_rows: Number(r.estimated_rows) }));
    },
    async rangeChecksum({ table, user, genres = null, after = null, until = null }, { signal } = {}) {
      const [r] = await run(sql`
        SELECT row_count::text AS row_count, checksum
        FROM sync_range_checksum(${table}::text, ${user}::uuid, ${arr(genres)}::text[], ${after}::text, ${until}::text)`,
        signal);
      return { row_count: Number(r.row_count), checksum: r.checksum };
    },
    // Rows with key in (after, until], by the keyset page function, in a UTC
    // session (the page functions' timestamptz arguments are exact there).
    // The bounds go as text: a parameter postgres.js sees typed timestamptz is
    // serialized through a Date, which drops the microseconds.
    async fetchRange({ table, user, genres = null, after = null, until = null, limit = 1000 }, { signal } = {}) {
      const fn = PAGE_FUNCTIONS[table];
      if (!fn) throw new SyncError(`unknown table ${table}`, { code: "22023" });
      const a = rangeArgs(after, until);
      const rows = await run(sql.begin(async (tx) => {
        await tx`SET LOCAL TimeZone = 'UTC'`;
        return tx`
          SELECT coalesce(jsonb_agg(to_jsonb(t) - 'ordinality' ORDER BY t.ordinality), '[]')::text AS rows
          FROM ${tx(fn)}(${user}::uuid, ${arr(genres)}::text[], ${a.p_after_timestamp}::text::timestamptz,
                         ${a.p_after_id}::uuid, ${limit}::int, ${a.p_until_timestamp}::text::timestamptz,
                         ${a.p_until_id}::uuid) WITH ORDINALITY t`;
      }), signal);
      return JSON.parse(rows[0].rows);
    },
  };
}

/**
 * The PostgREST transport: `POST <url>/rpc/<function>` with the named
 * arguments as a JSON body and `Authorization: Bearer <jwt>` (`jwt` a string or
 * a function returning one, called per request), through global fetch.
 */
export function postgrestTransport({ url, jwt, fetch: fetchFn = globalThis.fetch, headers = {} }) {
  const base = url.replace(/\/+$/, "");
  async function rpc(fn, args, signal) {
    if (signal?.aborted) throw abortError(signal);
    const token = typeof jwt === "function" ? await jwt() : jwt;
    let res, text;
    try {
      res = await fetchFn(`${base}/rpc/${fn}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify(args),
        signal,
      });
      text = await res.text();
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      // fetch's "fetch failed" carries the socket error as its cause.
      const code = err.cause?.code ?? err.code ?? "ECONNRESET";
      throw new SyncError(`POST /rpc/${fn}: ${err.cause?.message ?? err.message}`, { code, cause: err });
    }
    if (!res.ok) {
      let body = {};
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      let code = body.code;
      // PostgREST's own codes for "cannot reach the database" are connection errors.
      if (!code || /^PGRST00/.test(code)) code = res.status === 503 || res.status === 502 ? "08006" : code ?? `HTTP${res.status}`;
      throw new SyncError(body.message ?? `POST /rpc/${fn}: HTTP ${res.status}`, {
        code, status: res.status, detail: body.details, hint: body.hint,
      });
    }
    return JSON.parse(text);
  }
  const one = (v) => (Array.isArray(v) ? v[0] : v);
  return {
    kind: "postgrest",
    async pull({ table, user, genres = null, cursor = null, limit = 1000, until = null }, { signal } = {}) {
      return rpc("sync_pull", { p_table: table, p_user_id: user, p_genre_ids: genres, p_cursor: cursor,
                               p_limit: limit, p_until: until }, signal);
    },
    async partitionBounds({ table, user, genres = null, parts }, { signal } = {}) {
      const rows = await rpc("sync_partition_bounds", { p_table: table, p_user_id: user, p_genre_ids: genres,
                                                        p_parts: parts }, signal);
      return rows.map((r) => ({ part: Number(r.part), after_cursor: r.after_cursor, until_cursor: r.until_cursor,
                                estimated_rows: Number(r.estimated_rows) }))
        .sort((a, b) => a.part - b.part);
    },
    async rangeChecksum({ table, user, genres = null, after = null, until = null }, { signal } = {}) {
      const r = one(await rpc("sync_range_checksum", { p_table: table, p_user_id: user, p_genre_ids: genres,
                                                       p_after: after, p_until: until }, signal));
      return { row_count: Number(r.row_count), checksum: r.checksum };
    },
    // The page functions' timestamptz arguments are exact only in a session
    // whose TimeZone has no daylight saving (UTC): the database's default.
    async fetchRange({ table, user, genres = null, after = null, until = null, limit = 1000 }, { signal } = {}) {
      const fn = PAGE_FUNCTIONS[table];
      if (!fn) throw new SyncError(`unknown table ${table}`, { code: "22023" });
      return rpc(fn, { p_user_id: user, p_genre_ids: genres, ...rangeArgs(after, until), p_limit: limit }, signal);
    },
  };
}
