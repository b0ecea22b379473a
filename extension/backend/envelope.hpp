// sync_pull's envelope as json text, written straight from the rows query's
// tuples (core/json_text.hpp) into one buffer in the caller's memory: no
// jsonb per row, no copy of the rows in SPI's memory. Each row's text is
// what to_jsonb(row)::text gives, and the envelope's that of the jsonb 1.2
// returned (keys in jsonb's order, its spacing), so `::jsonb` and clients
// see exactly the values they saw.
//
// Every call may ereport: use them inside guarded().
#pragma once

#include <type_traits>

#include "backend/pg.hpp"

namespace gs::backend {

// A receiver for a rows query whose columns are (in_filter boolean, key
// timestamp, id uuid, the row's columns...): up to page_size rows, a row
// in the filter into "rows", any other's id into "removed"; one row more
// only tells has_more. The envelope's buffer lives in result_context.
DestReceiver *envelope_receiver(MemoryContext result_context, int page_size);

struct EnvelopePage {
  uint64 count = 0;  // rows and removed ids of the page
  bool has_more = false;
  Timestamp last_key = 0;  // of the page's last row, when count > 0
  pg_uuid_t last_id{};
};

static_assert(std::is_trivially_destructible_v<EnvelopePage>,
              "EnvelopePage is filled inside guarded(), where a longjmp may skip its destructor");

EnvelopePage envelope_page(DestReceiver *receiver);

// The envelope's members after its rows; nullptr strings are JSON null.
struct EnvelopeFields {
  const char *table;
  bool has_more, catch_up;
  const char *next_cursor, *cursor, *until;
  const Timestamp *horizon;
  const char *horizon_cursor, *horizon_source, *horizon_reason;
  ArrayType *genres;  // text[]
  const char *genres_hash;
};

static_assert(std::is_trivially_destructible_v<EnvelopeFields>,
              "EnvelopeFields is used inside guarded(), where a longjmp may skip its destructor");

// The whole envelope as a json datum in result_context.
Datum finish_envelope(DestReceiver *receiver, const EnvelopeFields &fields);

}  // namespace gs::backend
