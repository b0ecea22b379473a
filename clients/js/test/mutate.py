#!/usr/bin/env python3
# The mutations the test files' headers name: each is applied to lib/, the
# test file named is run (node --test), the outcome printed, and lib/ restored.
#   python3 test/mutate.py            # all of them (several minutes; needs the
#                                     # cluster and GS_JS_TEMPLATE as js_client.sh makes it)
#   python3 test/mutate.py U1 P6      # some
# Never run it while someone else's tests use this lib/.
import subprocess, re, sys, os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M = [
 # id, file, old, new, count(None=all), testfile, pattern
 ("U1 micros via Date", "lib/keys.js", "export function microsFromText(text) {", "export function microsFromText(text) {\n  if (TS.test(String(text))) return (BigInt(Date.parse(String(text).replace(' ', 'T') + 'Z')) * 1000n).toString();", 1, "unit", None),
 ("U2 until from every page", "lib/sync.js", "      until ??= page.horizon_cursor ?? null;", "      until = page.horizon_cursor ?? null;", 1, "unit", None),
 ("U3 cursor rebuilt from last row via Date", "lib/sync.js", "      cursor = page.next_cursor ?? cursor;", "      cursor = page.rows.length ? page.next_cursor.replace(/^v2\\/(\\d+):/, (m, us) => `v2/${BigInt(new Date(Number(BigInt(us) / 1000n)).getTime()) * 1000n}:`) : page.next_cursor;", 1, "unit", None),
 ("U4 rows before removed", "lib/sync.js", "      if (page.removed?.length) await sink.onRemove(table, page.removed);\n      if (page.rows.length) await sink.onRows(table, page.rows);", "      if (page.rows.length) await sink.onRows(table, page.rows);\n      if (page.removed?.length) await sink.onRemove(table, page.removed);", 1, "unit", None),
 ("U5 every 57014 retryable", "lib/errors.js", "  if (isStatementTimeout(err)) return true;", "  if (code === '57014') return true;", 1, "unit", None),
 ("U6 no fewer connections", "lib/sync.js", "          if (isPressure(err)) {", "          if (false) {", 1, "unit", None),
 ("U7 first part's cursor kept", "lib/sync.js", "    let cursor = ranges[ranges.length - 1].cursor;", "    let cursor = ranges[0].cursor;", 1, "unit", None),
 ("U8 every coded error retryable", "lib/errors.js", "export function isRetryable(err) {", "export function isRetryable(err) {\n  if (err?.code) return true;", 1, "unit", None),
 ("U9 no backoff", "lib/errors.js", "  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));", "  const cap = 0;", 1, "unit", None),
 ("U10 checksum micros:id", "lib/keys.js", "update(`${k.id}:${k.micros}`)", "update(`${k.micros}:${k.id}`)", 1, "unit", None),
 ("U11 largest range not first", "lib/sync.js", "sort((a, b) => b.estimated - a.estimated || a.index - b.index)", "sort((a, b) => a.index - b.index)", 1, "unit", None),
 ("P1 removed never applied", "lib/sync.js", "      if (page.removed?.length) await sink.onRemove(table, page.removed);\n", "", 1, "pg", None),
 ("P2 range bounds through postgres.js Date", "lib/transports.js", "::text::timestamptz", "::timestamptz", None, "pg", None),
 ("P3 has_more ignored", "lib/sync.js", "      if (!page.has_more) break;", "      break;", 1, "pg", None),
 ("P4 first part's cursor kept", "lib/sync.js", "    let cursor = ranges[ranges.length - 1].cursor;", "    let cursor = ranges[0].cursor;", 1, "pg", "parallel"),
 ("P5 parts: has_more ignored", "lib/sync.js", "        if (!page.has_more) { r.done = true; return; }", "        r.done = true; return;", 1, "pg", "parallel"),
 ("P6 last part's cursor even when cut by the horizon", "lib/sync.js", "{ cursor = r.cursor; stats.cutByHorizon", "{ stats.cutByHorizon", 1, "pg", "horizon"),
 ("P7 57P01 and sockets not retried", "lib/errors.js", "  return SOCKET_CODES.has(code) || code.startsWith(\"08\");", "  return false;", 1, "pg", None),
 ("P8 everything retried", "lib/errors.js", "export function isRetryable(err) {", "export function isRetryable(err) {\n  return true;", 1, "pg", None),
 ("P9 pull drops its AbortSignal", "lib/sync.js", "sink, signal = defaultSignal, onCursor } = {}) {", "sink, signal: dropped, onCursor } = {}) {\n    const signal = undefined;", 1, "pg", "Abort"),
 ("R5 pull drops its AbortSignal", "lib/sync.js", "sink, signal = defaultSignal, onCursor } = {}) {", "sink, signal: dropped, onCursor } = {}) {\n    const signal = undefined;", 1, "postgrest", None),
 ("P10 no fewer connections", "lib/sync.js", "          if (isPressure(err)) {", "          if (false) {", 1, "pg", "connections"),
 ("P11 statement timeouts not retried", "lib/errors.js", "  if (isStatementTimeout(err)) return true;", "", 1, "pg", "timeout"),
 ("P12 no fewer connections on timeouts", "lib/sync.js", "          if (isPressure(err)) {", "          if (false) {", 1, "pg", "timeout"),
 ("R1 positional arguments", "lib/transports.js", "        body: JSON.stringify(args),", "        body: JSON.stringify(Object.values(args)),", 1, "postgrest", None),
 ("R2 no Authorization", "lib/transports.js", "          ...(token ? { Authorization: `Bearer ${token}` } : {}),", "", 1, "postgrest", None),
 ("R3 fetch errors without their socket code", "lib/transports.js", "const code = err.cause?.code ?? err.code ?? \"ECONNRESET\";", "const code = undefined;", 1, "postgrest", None),
 ("R4 42501 retryable", "lib/errors.js", "  if (code === \"42501\" || ", "  if (code === \"42501\") return true;\n  if (", 1, "postgrest", None),
]
only = sys.argv[1:] 
results = []
for mid, f, old, new, count, tf, pat in M:
    if only and not any(mid.startswith(o + " ") for o in only): continue
    backups = {}
    def mutate(path, o, n, c):
        p = os.path.join(root, path); s = open(p).read()
        if o not in s: raise SystemExit(f"{mid}: pattern not found in {path}")
        backups.setdefault(p, s)
        open(p, "w").write(s.replace(o, n) if c is None else s.replace(o, n, c))
    mutate(f, old, new, count)
    try:
        cmd = ["node", "--test", "--test-reporter=tap", f"test/{tf}.test.js"]
        if pat: cmd[2:2] = ["--test-name-pattern", pat]
        r = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=240)
        out = r.stdout
        fails = re.findall(r"^not ok \d+ - (.*)$", out, re.M)
        npass = re.search(r"^# pass (\d+)", out, re.M); nfail = re.search(r"^# fail (\d+)", out, re.M)
        line = f"{mid}: rc={r.returncode} pass={npass and npass.group(1)} fail={nfail and nfail.group(1)} failing={fails}"
    except subprocess.TimeoutExpired:
        line = f"{mid}: TIMEOUT (240 s)"
    finally:
        for p, s in backups.items(): open(p, "w").write(s)
    print(line, flush=True)
