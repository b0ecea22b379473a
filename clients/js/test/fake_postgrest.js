// A tiny stand-in for PostgREST (not installable here), enough to test the
// HTTP transport: POST /rpc/<function> with a JSON body of named arguments and
// `Authorization: Bearer <jwt>`; per request a transaction that does what
// PostgREST does - SET LOCAL ROLE to the token's role,
// set_config('request.jwt.claims', <claims>, true), and the call with named
// arguments - answering JSON (a scalar function's value, a SETOF function's
// rows as an array, a single composite as an object) or PostgREST's error body
// { code, message, details, hint }. The token's signature is not checked.
import http from "node:http";

const ident = (s) => `"${String(s).replace(/"/g, '""')}"`;
const arrayLiteral = (a) => `{${a.map((v) => (v === null ? "NULL" : `"${String(v).replace(/[\\"]/g, "\\$&")}"`)).join(",")}}`;

export function makeJwt(claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
}

function statusOf(code = "") {
  if (code === "42501") return 403;
  if (code === "28000") return 401;
  if (code === "53300" || code.startsWith("08")) return 503;
  if (code === "57014") return 500;
  if (code.startsWith("22") || code.startsWith("42")) return 400;
  return 500;
}

/** Starts the fake on 127.0.0.1; `sql` is the authenticator's postgres.js.
 *  `hooks.before(req, n)` may answer instead (fault injection): return true when it did. */
export async function startFakePostgrest(sql, hooks = {}) {
  const procs = new Map();
  async function proc(name) {
    if (!procs.has(name)) {
      const [p] = await sql`
        SELECT p.proretset AS setof, t.typtype = 'c' OR p.proargmodes IS NOT NULL AND 'o' = ANY (p.proargmodes) AS composite,
               coalesce(p.proargnames[1:p.pronargs], '{}') AS names,
               ARRAY(SELECT format_type(x, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(x, o) ORDER BY o) AS types
        FROM pg_proc p JOIN pg_type t ON t.oid = p.prorettype
        WHERE p.proname = ${name} AND p.pronamespace = 'public'::regnamespace`;
      procs.set(name, p ?? null);
    }
    return procs.get(name);
  }
  let requests = 0;
  const server = http.createServer(async (req, res) => {
    const n = ++requests;
    const send = (status, body) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    try {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      if (hooks.before && (await hooks.before(req, res, n))) return;
      const m = /^\/rpc\/([a-z_][a-z0-9_]*)$/.exec(req.url);
      if (req.method !== "POST" || !m) return send(404, { code: "PGRST202", message: "not found" });
      const p = await proc(m[1]);
      if (!p) return send(404, { code: "PGRST202", message: `Could not find the function public.${m[1]}` });
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const claims = token ? JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()) : {};
      const role = claims.role ?? "anon";
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      const names = Object.keys(body);
      const params = [], args = [];
      for (const name of names) {
        const i = p.names.indexOf(name);
        if (i < 0) return send(404, { code: "PGRST202", message: `no argument ${name}` });
        const v = body[name];
        params.push(v === null ? null : Array.isArray(v) ? arrayLiteral(v) : String(v));
        args.push(`${ident(name)} => $${params.length}::text::${p.types[i]}`);
      }
      const call = `public.${ident(m[1])}(${args.join(", ")})`;
      const q = p.setof ? `SELECT coalesce(json_agg(t), '[]')::text AS body FROM ${call} t`
        : p.composite ? `SELECT row_to_json(t)::text AS body FROM ${call} t`
        : `SELECT to_json(${call})::text AS body`;
      const [row] = await sql.begin(async (tx) => {
        await tx.unsafe(`SET LOCAL ROLE ${ident(role)}`);
        await tx`SELECT set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
        return tx.unsafe(q, params);
      });
      send(200, row.body);
    } catch (err) {
      const code = err.code && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : "08006";
      send(statusOf(code), { code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null });
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get requests() { return requests; },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}
