#include "backend/cursor_args.hpp"

#include <cstring>

extern "C" {
#include "utils/uuid.h"
}

#include "backend/call_args.hpp"
#include "backend/fence.hpp"

namespace gs::backend {

std::optional<Cursor> cursor_arg(FunctionCallInfo fcinfo, int arg, const char *name) {
  auto text = text_arg(fcinfo, arg);
  if (!text) return std::nullopt;
  return parse_cursor(*text, name);
}

Datum cursor_timestamp(const Cursor &cursor) {
  return TimestampGetDatum(cursor.unix_micros - postgres_epoch_unix_micros);
}

Datum cursor_id(const Cursor &cursor) {
  pg_uuid_t *id = nullptr;
  guarded([&] { id = static_cast<pg_uuid_t *>(palloc(sizeof(pg_uuid_t))); });
  std::memcpy(id->data, cursor.id.data(), UUID_LEN);
  return UUIDPGetDatum(id);
}

Cursor row_cursor(Timestamp last_modified_at, const pg_uuid_t *id) {
  Cursor cursor;
  cursor.unix_micros = cursor_unix_micros(last_modified_at, "last_modified_at of row");
  std::memcpy(cursor.id.data(), id->data, UUID_LEN);
  return cursor;
}

}  // namespace gs::backend
