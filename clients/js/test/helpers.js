// Shared by the integration tests: a database of their own (a copy of the
// template js_client.sh made), a SQLite replica fed through the library's
// sink, and the independent reference query of the user's filter.
import postgres from "postgres";
import Database from "better-sqlite3";

export const TEMPLATE = process.env.GS_JS_TEMPLATE ?? "gs_js_template";
// The fixture's user 2 (regress.u(2) = md5('user2')::uuid).
export const USER = "7e58d63b-6019-7ceb-55a1-c487989a3720";

export function connect(database, options = {}) {
  return postgres({ database, onnotice: () => {}, ...options });
}

/** A fresh database copied from the template; returns { name, sql, drop }. */
export async function freshDatabase(label) {
  const admin = connect("postgres", { max: 1 });
  const name = `gs_js_${label}_${process.pid}`;
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  // The tests' own statements are the only writers: the horizon may follow them closely.
  await admin.unsafe(`ALTER DATABASE ${name} SET genre_sync.horizon_margin = 0`);
  const sql = connect(name, { max: 4 });
  await sql`SELECT regress.u(2)::text AS u`.then(([r]) => {
    if (r.u !== USER) throw new Error(`fixture user 2 is ${r.u}`);
  });
  return {
    name, sql,
    async drop() {
      await sql.end({ timeout: 1 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** An in-memory SQLite replica and the sink that keeps it. Deleted tunes are
 *  dropped (tombstones are optional, docs/protocol.md). */
export function sqliteReplica() {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE replica (tbl TEXT NOT NULL, id TEXT NOT NULL, lmt TEXT NOT NULL,
                                 deleted INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (tbl, id))`);
  const upsert = db.prepare(`INSERT INTO replica VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (tbl, id) DO UPDATE SET lmt = excluded.lmt, deleted = excluded.deleted, body = excluded.body`);
  const del = db.prepare("DELETE FROM replica WHERE tbl = ? AND id = ?");
  const calls = [];
  const sink = {
    onRows: db.transaction((table, rows) => {
      calls.push(["rows", table, rows.length]);
      for (const r of rows) {
        if (typeof r.last_modified_at !== "string") throw new Error(`last_modified_at is not text: ${r.last_modified_at}`);
        if (table === "tune" && r.deleted) del.run(table, r.id);
        else upsert.run(table, r.id, r.last_modified_at, r.deleted ? 1 : 0, JSON.stringify(r));
      }
    }),
    onRemove: db.transaction((table, ids) => {
      calls.push(["remove", table, ids.length]);
      for (const id of ids) del.run(table, id);
    }),
  };
  return {
    db, sink, calls,
    rows: (table) => db.prepare(`SELECT id, lmt FROM replica ${table ? "WHERE tbl = ?" : ""} ORDER BY tbl, id`)
      .all(...(table ? [table] : [])),
    all: () => db.prepare("SELECT tbl, id, lmt FROM replica ORDER BY tbl, id").all(),
    keys: (table) => db.prepare("SELECT id, lmt AS last_modified_at FROM replica WHERE tbl = ?").all(table),
    remove: (table, id) => del.run(table, id),
  };
}

/** The user's rows by the contract (the same query as sql/filter_changes.sql). */
export async function referenceRows(sql, user = USER) {
  return sql`
    WITH genres AS (
        SELECT s.genre_id AS g FROM user_genre_selection s WHERE s.user_id = ${user}
        UNION SELECT p.genre_default FROM playlist p WHERE p.user_ref = ${user} AND NOT p.deleted
        UNION SELECT t.genre FROM playlist p JOIN playlist_tune pt ON pt.playlist_ref = p.playlist_id
                             JOIN tune t ON t.id = pt.tune_ref
              WHERE p.user_ref = ${user} AND NOT p.deleted AND NOT pt.deleted AND NOT t.deleted
    ), tunes AS (
        SELECT t.* FROM tune t
        WHERE NOT t.deleted
          AND ((t.private_for IS NULL AND t.genre IN (SELECT g FROM genres)) OR t.private_for = ${user})
    )
    SELECT * FROM (
      SELECT 'tune' AS tbl, t.id::text AS id, to_jsonb(t.last_modified_at) #>> '{}' AS lmt FROM tunes t
      UNION ALL
      SELECT 'note', n.id::text, to_jsonb(n.last_modified_at) #>> '{}'
      FROM note n JOIN tunes t ON t.id = n.tune_ref WHERE n.user_ref IS NULL OR n.user_ref = ${user}
      UNION ALL
      SELECT 'reference', r.id::text, to_jsonb(r.last_modified_at) #>> '{}'
      FROM reference r JOIN tunes t ON t.id = r.tune_ref WHERE r.user_ref IS NULL OR r.user_ref = ${user}
    ) x ORDER BY tbl COLLATE "C", id COLLATE "C"`;
}

/** Missing, extra and stale rows of the replica against the reference. */
export async function diff(sql, replica, user = USER) {
  const ref = new Map((await referenceRows(sql, user)).map((r) => [`${r.tbl}/${r.id}`, r.lmt]));
  const mine = new Map(replica.all().map((r) => [`${r.tbl}/${r.id}`, r.lmt]));
  const missing = [...ref.keys()].filter((k) => !mine.has(k));
  const extra = [...mine.keys()].filter((k) => !ref.has(k));
  const stale = [...ref.keys()].filter((k) => mine.has(k) && mine.get(k) !== ref.get(k));
  return { rows: ref.size, missing, extra, stale };
}

/** Waits until the safe horizon has passed now (the tests' own writes). */
export async function pastHorizon(sql) {
  const [{ t }] = await sql`SELECT (now() AT TIME ZONE 'UTC')::text AS t`;
  for (let i = 0; i < 100; i++) {
    const [{ ok }] = await sql`SELECT sync_safe_horizon() > ${t}::timestamp AS ok`;
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the safe horizon did not pass");
}
