// genre-sync-client: the genre_sync worker loop (docs/protocol.md) done once.
export { createSync, TABLES } from "./lib/sync.js";
export { postgresTransport, postgrestTransport } from "./lib/transports.js";
export { SyncError, isRetryable, isPressure, backoffDelay, withRetry } from "./lib/errors.js";
export {
  microsFromText, timestampFromMicros, positionOf, parsePosition, compareKeys, checksumOf, normalizeKey,
} from "./lib/keys.js";
