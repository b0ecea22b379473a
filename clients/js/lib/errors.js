// Which failures a worker may retry, and which mean "fewer connections".

/** An error of the sync with the server's SQLSTATE (or a socket error code) in `code`. */
export class SyncError extends Error {
  constructor(message, { code, status, cause, detail, hint } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = "SyncError";
    this.code = code;
    if (status !== undefined) this.status = status;
    if (detail) this.detail = detail;
    if (hint) this.hint = hint;
  }
}

const SOCKET_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH",
  "ENETUNREACH", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED",
  // postgres.js's own names for a lost or refused connection
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
]);

function codeOf(err) {
  if (!err) return undefined;
  return err.code ?? err.cause?.code;
}

function isStatementTimeout(err) {
  return codeOf(err) === "57014" && /statement timeout/i.test(err.message ?? "");
}

/** Whether the failure means the server is short of connections or time:
 *  53300 too_many_connections, connection errors, 57014 from statement_timeout. */
export function isPressure(err) {
  const code = codeOf(err);
  if (code === "53300" || isStatementTimeout(err)) return true;
  return isConnectionError(err);
}

function isConnectionError(err) {
  const code = codeOf(err);
  if (typeof code !== "string") return false;
  return SOCKET_CODES.has(code) || code.startsWith("08");
}

/** Whether a failed call may simply be made again (sync_pull only reads):
 *  40001, 40P01, 53300, 57P01 (and 57P02/57P03), 57014 from statement_timeout,
 *  08xxx, and socket errors. Never 42501, 22xxx, 28000, nor a cancel by the
 *  caller's AbortSignal, nor anything else unknown. */
export function isRetryable(err) {
  if (!err || err.name === "AbortError") return false;
  const code = codeOf(err);
  if (code === "42501" || code === "28000" || (typeof code === "string" && code.startsWith("22"))) return false;
  if (["40001", "40P01", "53300", "57P01", "57P02", "57P03"].includes(code)) return true;
  if (isStatementTimeout(err)) return true;
  return isConnectionError(err);
}

export function abortError(signal) {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error(reason === undefined ? "the sync was aborted" : String(reason));
  e.name = "AbortError";
  return e;
}

/** Sleeps ms, or rejects as soon as signal aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    function onAbort() { clearTimeout(t); reject(abortError(signal)); }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter: attempt 1 -> up to base, 2 -> 2*base, ... */
export function backoffDelay(attempt, { baseDelayMs = 100, maxDelayMs = 5000 } = {}, random = Math.random) {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Runs fn(attempt) and retries it on retryable errors, up to `retries` times. */
export async function withRetry(fn, { retries = 5, baseDelayMs, maxDelayMs, signal, onRetry } = {}) {
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    try {
      return await fn(attempt);
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      if (!isRetryable(err) || attempt > retries) throw err;
      onRetry?.(err, attempt);
      await sleep(backoffDelay(attempt, { baseDelayMs, maxDelayMs }), signal);
    }
  }
}
