// Positions, timestamps and checksums, all on exact text: no Date anywhere.
import { createHash } from "node:crypto";

const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

function daysFromCivil(y, m, d) {
  // Howard Hinnant's days_from_civil, in BigInt.
  y -= m <= 2n ? 1n : 0n;
  const era = (y >= 0n ? y : y - 399n) / 400n;
  const yoe = y - era * 400n;
  const mp = (m + 9n) % 12n;
  const doy = (153n * mp + 2n) / 5n + d - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

function civilFromDays(z) {
  z += 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  return [yoe + era * 400n + (m <= 2n ? 1n : 0n), m, d];
}

/** Microseconds since 1970-01-01 00:00:00 of a `timestamp` as the server wrote it
 *  (`2024-06-15T12:00:00.654321`, to_jsonb's form, or with a space), as a decimal
 *  string. Exact to the microsecond; throws on anything else. */
export function microsFromText(text) {
  const m = TS.exec(String(text));
  if (!m) throw new TypeError(`not a timestamp without time zone: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac = ""] = m;
  const days = daysFromCivil(BigInt(y), BigInt(mo), BigInt(d));
  const secs = days * 86400n + BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s);
  return (secs * 1000000n + BigInt(frac.padEnd(6, "0"))).toString();
}

/** The inverse: `YYYY-MM-DD HH:MM:SS.ffffff` (UTC wall clock) of a micros string. */
export function timestampFromMicros(micros) {
  const us = BigInt(micros);
  let days = us / 86400000000n;
  let rest = us % 86400000000n;
  if (rest < 0n) { rest += 86400000000n; days -= 1n; }
  const [y, m, d] = civilFromDays(days);
  const p = (v, n) => v.toString().padStart(n, "0");
  const secs = rest / 1000000n;
  return `${p(y, 4)}-${p(m, 2)}-${p(d, 2)} ${p(secs / 3600n, 2)}:${p((secs / 60n) % 60n, 2)}:${p(secs % 60n, 2)}.${p(rest % 1000000n, 6)}`;
}

/** A replica key `{ id, micros }` or `{ id, last_modified_at }` as `{ id, micros }`. */
export function normalizeKey(k) {
  const id = String(k.id).toLowerCase();
  if (k.micros !== undefined && k.micros !== null) return { id, micros: BigInt(k.micros).toString() };
  return { id, micros: microsFromText(k.last_modified_at ?? k.lastModifiedAt) };
}

/** The position `v1:<micros>:<id>` of a key. */
export function positionOf(k) {
  return `v1:${k.micros}:${k.id}`;
}

/** Parses a position `v1:<micros>:<id>` into `{ micros, id }` (null stays null). */
export function parsePosition(pos) {
  if (pos === null || pos === undefined) return null;
  const m = /^v1:(-?\d+):([0-9a-f-]{36})$/.exec(pos);
  if (!m) throw new TypeError(`not a position: ${JSON.stringify(pos)}`);
  return { micros: m[1], id: m[2] };
}

/** Compares two keys `{ micros, id }` in the server's order (last_modified_at, id). */
export function compareKeys(a, b) {
  const am = BigInt(a.micros), bm = BigInt(b.micros);
  if (am !== bm) return am < bm ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The range checksum of docs/protocol.md over keys `{ id, micros }`. */
export function checksumOf(keys) {
  let sum = 0n;
  for (const k of keys) {
    const h = createHash("md5").update(`${k.id}:${k.micros}`).digest("hex").slice(0, 16);
    sum = (sum + BigInt("0x" + h)) % (1n << 64n);
  }
  return sum.toString(16).padStart(16, "0");
}
