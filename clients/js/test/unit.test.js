// Unit tests without a database: exact timestamps and positions, the
// checksum, which errors are retried, and the loop's handling of cursors,
// bounds and removals against a fake server that keeps a keyset over rows
// and, like sync_pull, accepts only the exact cursor text it wrote.
//
// Seen to fail (mutations in lib/ by test/mutate.py, ids U1-U11, run, reverted):
// - microsFromText through Date (Date.parse(text + "Z") * 1000): "microsFromText",
//   "a tie group within one millisecond", "Date pitfall regression", "verify";
// - the loop taking `until` from every page, and rows applied before removed:
//   "bounds the pull at the first page's horizon, and removed before rows";
// - the cursor rebuilt through a Date (next_cursor's micros truncated to
//   milliseconds, as the worker that lost 579 rows did): "Date pitfall
//   regression" (the fake server, like sync_pull, rejects a cursor it did not write);
// - every 57014 retryable: "classification"; every error with a code
//   retryable: "classification", "an error that is not safe to retry";
// - no fewer connections on 53300: "adaptive";
// - the first part's cursor kept, and ranges not largest first: "parallel:
//   largest range first";
// - no backoff: "retries give up"; the checksum over `${micros}:${id}`: "checksumOf".

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createSync, microsFromText, timestampFromMicros, checksumOf, isRetryable, isPressure, positionOf,
  compareKeys, parsePosition, backoffDelay,
} from "../index.js";

test("microsFromText is exact to the microsecond, both forms, before 1970 too", () => {
  assert.equal(microsFromText("1970-01-01T00:00:00"), "0");
  assert.equal(microsFromText("2025-03-01 10:00:00.123456"), "1740823200123456");
  assert.equal(microsFromText("2025-03-01T10:00:00.12"), "1740823200120000");
  assert.equal(microsFromText("2024-02-29T23:59:59.999999"), "1709251199999999");
  assert.equal(microsFromText("1969-12-31T23:59:59.999999"), "-1");
  assert.equal(microsFromText("1900-03-01T00:00:00"), "-2203891200000000");
  for (const m of ["0", "-1", "1740823200123456", "-2203891200000000", "253402300799999999"])
    assert.equal(microsFromText(timestampFromMicros(m)), m);
  assert.throws(() => microsFromText("2025-03-01T10:00:00Z"), TypeError);
  assert.throws(() => microsFromText("2025-03-01"), TypeError);
});

test("a tie group within one millisecond keeps distinct, ordered positions", () => {
  const texts = Array.from({ length: 50 }, (_, i) => `2025-02-03T04:05:06.789${String(i).padStart(3, "0")}`);
  const micros = texts.map(microsFromText);
  assert.equal(new Set(micros).size, 50);
  for (let i = 1; i < 50; i++) assert.equal(BigInt(micros[i]) - BigInt(micros[i - 1]), 1n);
  const keys = micros.map((m, i) => ({ micros: m, id: `00000000-0000-0000-0000-${String(49 - i).padStart(12, "0")}` }));
  assert.deepEqual([...keys].sort(compareKeys), keys, "ordered by micros before id");
  assert.deepEqual(parsePosition(positionOf(keys[3])), keys[3]);
});

test("checksumOf is docs/protocol.md's sum, order-independent", () => {
  assert.equal(checksumOf([]), "0000000000000000");
  const keys = [{ id: "0b8854ad-38f0-a6c6-5807-928d28195609", micros: "1740823200123456" },
                { id: "1b8854ad-38f0-a6c6-5807-928d28195609", micros: "1740823200123457" }];
  assert.equal(checksumOf(keys), checksumOf([...keys].reverse()));
  assert.match(checksumOf(keys), /^[0-9a-f]{16}$/);
  // md5 by hand (md5sum): d351c941ed9fd457eac5... and 1a74bfed82cae84bd401...;
  // their first 16 hex digits summed modulo 2^64.
  assert.equal(checksumOf([keys[0]]), "d351c941ed9fd457");
  assert.equal(checksumOf(keys), "edc6892f706abca2");
  // The sum wraps modulo 2^64 (the integration tests compare it with the server's).
  const many = Array.from({ length: 64 }, (_, i) => ({ id: keys[0].id, micros: String(i) }));
  assert.match(checksumOf(many), /^[0-9a-f]{16}$/);
});

test("classification of errors: retried, pressure, never", () => {
  const e = (code, message = "x") => Object.assign(new Error(message), { code });
  for (const c of ["40001", "40P01", "53300", "57P01", "08006", "08001", "ECONNRESET", "CONNECTION_CLOSED", "EPIPE"])
    assert.equal(isRetryable(e(c)), true, c);
  assert.equal(isRetryable(e("57014", "canceling statement due to statement timeout")), true);
  assert.equal(isRetryable(e("57014", "canceling statement due to user request")), false);
  for (const c of ["42501", "22P02", "22023", "22004", "28000", "42883", "XX000", undefined])
    assert.equal(isRetryable(e(c)), false, String(c));
  assert.equal(isRetryable(Object.assign(new Error("fetch failed"), { cause: { code: "ECONNREFUSED" } })), true);
  assert.equal(isRetryable(Object.assign(new Error("aborted"), { name: "AbortError" })), false);
  assert.equal(isPressure(e("53300")), true);
  assert.equal(isPressure(e("57014", "canceling statement due to statement timeout")), true);
  assert.equal(isPressure(e("40001")), false);
});

// A fake sync_pull over `rows` ({ id, lmt } with text timestamps), in
// (micros, id) order. Cursors are `v2/<micros>:<id>/<serial>` and only the
// exact text written is accepted, as the real server does (22P02 otherwise).
function fakeServer(rows, { horizons = [], removedOnFirst = [] } = {}) {
  const keyed = rows.map((r) => ({ ...r, micros: microsFromText(r.lmt) })).sort(compareKeys);
  const written = new Set();
  const calls = [];
  let serial = 0;
  const transport = {
    async pull({ table, cursor, limit, until }) {
      calls.push({ table, cursor, until });
      if (cursor !== null && !written.has(cursor)) throw Object.assign(new Error(`invalid cursor ${cursor}`), { code: "22P02" });
      const after = cursor ? { micros: cursor.split("/")[1].split(":")[0], id: cursor.split("/")[1].split(":")[1] } : null;
      const horizon = horizons[Math.min(calls.length - 1, horizons.length - 1)] ?? null;
      const bound = until ? parsePosition(until) : horizon ? parsePosition(horizon) : null;
      const eligible = keyed.filter((k) => (!after || compareKeys(k, after) > 0) && (!bound || compareKeys(k, bound) <= 0));
      const page = eligible.slice(0, limit);
      const last = page.at(-1) ?? after;
      const next = `v2/${last ? `${last.micros}:${last.id}` : "-"}/${++serial}`;
      written.add(next);
      return {
        rows: page.map((k) => ({ id: k.id, last_modified_at: k.lmt })),
        removed: calls.length === 1 ? removedOnFirst : [],
        has_more: eligible.length > limit, next_cursor: next, horizon_cursor: horizon, catch_up: false,
      };
    },
  };
  return { transport, calls };
}

function recordingSink() {
  const events = [];
  return {
    events,
    onRows: async (table, rows) => { events.push(["rows", table, ...rows.map((r) => `${r.id}@${r.last_modified_at}`)]); },
    onRemove: async (table, ids) => { events.push(["remove", table, ...ids]); },
  };
}

test("Date pitfall regression: 50 rows in one millisecond, pages of 7, all arrive exactly once", async () => {
  const rows = Array.from({ length: 50 }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String((i * 37) % 50).padStart(12, "0")}`,
    lmt: `2025-02-03T04:05:06.789${String(49 - i).padStart(3, "0")}`,
  }));
  const { transport, calls } = fakeServer(rows);
  const sink = recordingSink();
  const r = await createSync({ transport, user: "u", pageSize: 7 }).pull({ table: "note", sink });
  const got = sink.events.filter((e) => e[0] === "rows").flatMap((e) => e.slice(2));
  assert.equal(got.length, 50);
  assert.deepEqual(new Set(got), new Set(rows.map((r) => `${r.id}@${r.lmt}`)));
  assert.equal(calls.length, 8);
  // Each call sent the previous envelope's next_cursor, verbatim.
  for (let i = 1; i < calls.length; i++) assert.match(calls[i].cursor, /^v2\/\d+:[0-9a-f-]{36}\/\d+$/);
  assert.equal(r.cursors.note, `v2/${microsFromText("2025-02-03T04:05:06.789049")}:${rows[0].id}/8`,
    "the stored cursor is the last envelope's next_cursor");
});

test("bounds the pull at the first page's horizon, and removed before rows", async () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({
    id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`, lmt: `2025-01-01T00:00:${String(i).padStart(2, "0")}.5`,
  }));
  const h1 = positionOf({ micros: microsFromText(rows[19].lmt), id: rows[19].id });
  const h2 = positionOf({ micros: microsFromText(rows[28].lmt), id: rows[28].id });
  const { transport, calls } = fakeServer(rows, { horizons: [h1, h2], removedOnFirst: ["gone-1", "gone-2"] });
  const sink = recordingSink();
  const r = await createSync({ transport, user: "u", pageSize: 6 }).pull({ table: "tune", sink });
  assert.equal(calls[0].until, null);
  for (const c of calls.slice(1)) assert.equal(c.until, h1, "every later call bound at the first horizon");
  const got = sink.events.filter((e) => e[0] === "rows").flatMap((e) => e.slice(2));
  assert.equal(got.length, 20, "rows up to the first horizon only");
  assert.deepEqual(sink.events[0], ["remove", "tune", "gone-1", "gone-2"]);
  assert.equal(sink.events[1][0], "rows");
  assert.equal(r.until.tune, h1);
  // The next pull starts where this one ended and brings the rest.
  const sink2 = recordingSink();
  await createSync({ transport, user: "u", pageSize: 6 }).pull({ table: "tune", cursors: r.cursors, sink: sink2 });
  assert.equal(sink2.events.flatMap((e) => (e[0] === "rows" ? e.slice(2) : [])).length, 9);
});

// A fake parallel server: partition bounds over `n` parts of `sizes` rows;
// refuses calls beyond `capacity` concurrent ones with 53300.
const Z = "00000000-0000-0000-0000-000000000000";
function fakeParallel({ sizes, capacity = Infinity, failWith }) {
  let active = 0, peak = 0;
  const order = [];
  const transport = {
    async partitionBounds() {
      return sizes.map((n, i) => ({ part: i + 1, after_cursor: i ? `c${i}` : null, until_cursor: i < sizes.length - 1 ? `v1:${i + 1}000:${Z}` : null, estimated_rows: n }));
    },
    async pull({ cursor, until }) {
      const part = cursor === null ? 0 : Number(/^c(\d+)/.exec(cursor)[1]);
      const done = cursor && cursor.includes("#") ? Number(cursor.split("#")[1]) : 0;
      if (failWith) throw Object.assign(new Error(failWith), { code: failWith });
      if (active >= capacity) throw Object.assign(new Error("too many connections"), { code: "53300" });
      active++; peak = Math.max(peak, active);
      if (done === 0) order.push(part);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      const n = Math.min(sizes[part] - done, 10);
      return { rows: Array.from({ length: n }, (_, k) => ({ id: `${part}-${done + k}`, last_modified_at: "2025-01-01T00:00:00" })),
               removed: [], has_more: done + n < sizes[part], next_cursor: `c${part}#${done + n}`, horizon_cursor: `v1:99999:${Z}`,
               catch_up: false };
    },
  };
  return { transport, order, peak: () => peak };
}

test("parallel: largest range first, the last part's cursor, every row once", async () => {
  const f = fakeParallel({ sizes: [30, 50, 20, 40] });
  const sink = recordingSink();
  const r = await createSync({ transport: f.transport, user: "u", pageSize: 10 }).pullParallel(
    { table: "note", sink, parts: 4, connections: 2 });
  assert.deepEqual(f.order.slice(0, 2), [1, 3], "the two largest start first");
  assert.ok(f.peak() <= 2);
  const ids = sink.events.flatMap((e) => e.slice(2));
  assert.equal(ids.length, 140);
  assert.equal(new Set(ids).size, 140);
  assert.equal(r.cursors.note, "c3#40");
});

test("adaptive: 53300 lowers the connections, the pull completes", async () => {
  const f = fakeParallel({ sizes: [40, 40, 40, 40, 40, 40, 40, 40], capacity: 3 });
  const sink = recordingSink();
  const r = await createSync({ transport: f.transport, user: "u", pageSize: 10, baseDelayMs: 1, maxDelayMs: 5 })
    .pullParallel({ table: "note", sink, parts: 8, connections: 8 });
  assert.equal(new Set(sink.events.flatMap((e) => e.slice(2))).size, 320);
  assert.ok(r.stats.note.connections.at(-1) <= 3, `connections ${r.stats.note.connections}`);
  assert.ok(r.stats.note.retries > 0);
});

test("parallel: an error that is not safe to retry fails at once", async () => {
  const f = fakeParallel({ sizes: [40, 40], failWith: "42501" });
  const retried = [];
  await assert.rejects(createSync({ transport: f.transport, user: "u", onRetry: (e) => retried.push(e) })
    .pullParallel({ table: "note", sink: recordingSink(), parts: 2 }), (err) => err.code === "42501");
  assert.deepEqual(retried, []);
});

test("retries give up after `retries` attempts with backoff", async () => {
  let calls = 0;
  const transport = { async pull() { calls++; throw Object.assign(new Error("deadlock"), { code: "40P01" }); } };
  const t0 = Date.now();
  await assert.rejects(createSync({ transport, user: "u", retries: 3, baseDelayMs: 100, maxDelayMs: 400 })
    .pull({ table: "note", sink: recordingSink() }), (err) => err.code === "40P01");
  assert.equal(calls, 4);
  // At least half of 100 + 200 + 400 ms with full jitter.
  assert.ok(Date.now() - t0 >= 340, `backed off between attempts (${Date.now() - t0} ms)`);
  assert.deepEqual([1, 2, 3, 4, 5].map((a) => backoffDelay(a, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1)),
                   [100, 200, 400, 800, 1000]);
  assert.deepEqual([1, 2, 3].map((a) => backoffDelay(a, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)), [50, 100, 200]);
});

test("verify bisects to the rows that differ", async () => {
  const mk = (i) => ({ id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`, micros: String(1000 + i) });
  const server = Array.from({ length: 500 }, (_, i) => mk(i));
  const inRange = (k, a, u) => (!a || compareKeys(k, parsePosition(a)) > 0) && (!u || compareKeys(k, parsePosition(u)) <= 0);
  const transport = {
    async rangeChecksum({ after, until }) {
      const ks = server.filter((k) => inRange(k, after, until));
      return { row_count: ks.length, checksum: checksumOf(ks) };
    },
    async fetchRange({ after, until, limit }) {
      return server.filter((k) => inRange(k, after, until)).slice(0, limit)
        .map((k) => ({ id: k.id, last_modified_at: timestampFromMicros(k.micros).replace(" ", "T") }));
    },
  };
  const replica = server.filter((_, i) => i !== 123).concat([mk(9999)]);
  const found = await createSync({ transport, user: "u" }).verify("note", replica);
  assert.equal(found.ok, false);
  assert.deepEqual(found.missing, [mk(123).id]);
  assert.deepEqual(found.extra, [mk(9999).id]);
  assert.ok(found.checks < 30, `${found.checks} checks`);
});
