// The same loop over HTTP: the PostgREST transport against a fake PostgREST
// (fake_postgrest.js) that forwards to the extension as PostgREST does.
//
// Seen to fail (mutations in lib/ by test/mutate.py, ids R1-R5, run, reverted):
// - positional JSON (an array) instead of named arguments, and no
//   Authorization header: every test but the AbortSignal one;
// - fetch's socket error code dropped: "retries";
// - 42501 retryable: "identity";
// - pull() dropping its AbortSignal: "an AbortSignal aborts the HTTP requests".

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSync, postgrestTransport } from "../index.js";
import { USER, connect, freshDatabase, sqliteReplica, diff, pastHorizon } from "./helpers.js";
import { startFakePostgrest, makeJwt } from "./fake_postgrest.js";

const role = `gs_js_authenticated_${process.pid}`;
let db, admin, rest;
const faults = { next: [] };  // what the next requests do instead of answering
before(async () => {
  db = await freshDatabase("rest");
  admin = connect(db.name, { max: 2 });
  await admin.unsafe(`CREATE ROLE ${role} NOLOGIN;
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role};
    GRANT USAGE ON SCHEMA regress TO ${role};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${role}`);
  rest = await startFakePostgrest(connect(db.name, { max: 4 }), {
    before: (req, res) => {
      const f = faults.next.shift();
      if (!f) return false;
      if (f === "reset") { req.socket.destroy(); return true; }
      res.writeHead(503, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: f, message: "too many connections for role", details: null, hint: null }));
      return true;
    },
  });
});
after(async () => {
  await rest?.close();
  await admin?.unsafe(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => {});
  await admin?.end({ timeout: 1 });
  await db?.drop();
});

const jwt = (sub = USER) => makeJwt({ sub, role });
const retries = [];
const sync = (options = {}) => createSync({
  transport: postgrestTransport({ url: rest.url, jwt: options.jwt ?? jwt() }), user: USER, pageSize: 60,
  baseDelayMs: 10, maxDelayMs: 50, onRetry: (err) => retries.push(err.code), ...options,
});
const same = (d) => ({ missing: d.missing, extra: d.extra, stale: d.stale });
const empty = { missing: [], extra: [], stale: [] };

const replica = sqliteReplica();
let cursors = {};

test("first sync and a filter change over HTTP converge", async () => {
  let r = await sync().pull({ sink: replica.sink });
  cursors = r.cursors;
  assert.match(cursors.note, /^v2\//);
  assert.deepEqual(same(await diff(admin, replica)), empty);
  await admin`INSERT INTO user_genre_selection (user_id, genre_id) VALUES (${USER}, 'irish')`;
  await pastHorizon(admin);
  r = await sync().pull({ cursors, sink: replica.sink });
  cursors = r.cursors;
  assert.ok(r.stats.note.rows > 0, "the new genre's notes came");
  assert.deepEqual(same(await diff(admin, replica)), empty);
});

test("parallel first sync over HTTP at P = 4", async () => {
  const mine = sqliteReplica();
  const r = await sync().pullParallel({ sink: mine.sink, parts: 4, connections: 4 });
  assert.ok(r.stats.reference.parts > 1);
  assert.deepEqual(same(await diff(admin, mine)), empty);
});

test("verify and repair over HTTP", async () => {
  const keys = replica.keys("reference");
  const victim = keys[7];
  replica.remove("reference", victim.id);
  const s = sync();
  const found = await s.verify("reference", replica.keys("reference"));
  assert.deepEqual(found.missing, [victim.id]);
  await s.repair("reference", found, replica.sink);
  assert.equal((await s.verify("reference", replica.keys("reference"))).ok, true);
  assert.deepEqual(same(await diff(admin, replica)), empty);
});

test("retries: 503 with 53300 and a reset connection", async () => {
  retries.length = 0;
  faults.next.push("53300", "reset", "53300");
  const mine = sqliteReplica();
  try {
    await sync().pull({ sink: mine.sink, table: "note" });
  } finally { faults.next.length = 0; }
  assert.equal(retries.length, 3, retries.join());
  assert.equal(retries[0], "53300");
  assert.deepEqual(same(await diff(admin, mine)).missing.filter((k) => k.startsWith("note/")), []);
});

test("identity: another user's token is 42501 and is not retried", async () => {
  retries.length = 0;
  const other = "00000000-0000-0000-0000-000000000001";
  await assert.rejects(sync({ jwt: jwt(other) }).pull({ sink: sqliteReplica().sink, table: "note" }),
    (err) => err.code === "42501" && err.status === 403);
  assert.deepEqual(retries, []);
});

test("an AbortSignal aborts the HTTP requests", async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(sync().pull({ sink: sqliteReplica().sink, signal: ac.signal }), (err) => err.name === "AbortError");
  const ac2 = new AbortController();
  faults.next.push("53300", "53300", "53300", "53300");
  setTimeout(() => ac2.abort(), 20);
  await assert.rejects(sync({ baseDelayMs: 1000, maxDelayMs: 1000 }).pull({ sink: sqliteReplica().sink, signal: ac2.signal }),
    (err) => err.name === "AbortError");
  faults.next.length = 0;
});
