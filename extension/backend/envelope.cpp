#include "backend/envelope.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

extern "C" {
#include "nodes/makefuncs.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
}

#include "core/json_text.hpp"

namespace gs::backend {

namespace {

// The column types of the app's tables written by core/json_text.hpp; any
// other type goes through PostgreSQL's to_jsonb.
enum class ColumnKind { text, uuid, boolean, int2, int4, int8, timestamp, other };

ColumnKind kind_of(Oid type) {
  switch (type) {
    case TEXTOID:
    case VARCHAROID: return ColumnKind::text;
    case UUIDOID: return ColumnKind::uuid;
    case BOOLOID: return ColumnKind::boolean;
    case INT2OID: return ColumnKind::int2;
    case INT4OID: return ColumnKind::int4;
    case INT8OID: return ColumnKind::int8;
    case TIMESTAMPOID: return ColumnKind::timestamp;
    default: return ColumnKind::other;
  }
}

struct Column {
  int attno;  // in the slot
  ColumnKind kind;
  const char *name;  // the tuple descriptor's, while the query runs
  const char *key;   // `"name": `, escaped
  int key_len;
  FmgrInfo *to_jsonb;  // ColumnKind::other
};

// The rows query's leading columns, then the row's.
constexpr int in_filter_column = 0, key_column = 1, id_column = 2, first_row_column = 3;

// The executor calls back through pub, so it comes first.
struct Envelope {
  DestReceiver pub;
  int page_size;
  EnvelopePage page;
  uint64 rows_written;
  StringInfoData text;        // the json datum: room for its header, then the text
  StringInfoData removed;     // the removed ids' text, ", " between them
  MemoryContext row_context;  // what writing one row allocates (detoasting, to_jsonb)
  Column *columns;
  int column_count;
};

static_assert(std::is_trivially_destructible_v<Envelope>,
              "Envelope lives in PostgreSQL memory and is written inside guarded()");

Envelope *envelope_of(DestReceiver *self) { return reinterpret_cast<Envelope *>(self); }

// Room for n more bytes at the end of s; the caller sets s->len after it.
char *room(StringInfo s, std::size_t n) {
  if (n >= MaxAllocSize)
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("a row is too large for sync_pull's envelope")));
  enlargeStringInfo(s, static_cast<int>(n));
  return s->data + s->len;
}

void ended(StringInfo s, const char *end) { s->len = static_cast<int>(end - s->data); }

void append(StringInfo s, std::string_view text) {
  appendBinaryStringInfo(s, text.data(), static_cast<int>(text.size()));
}

void append_string(StringInfo s, std::string_view text) {
  // Written at once where the worst case fits; else sized exactly, so a long
  // text never doubles a buffer sized for the page.
  std::size_t need = json_string_max_size(text.size());
  if (static_cast<std::size_t>(s->maxlen - s->len) <= need) {
    need = 2;
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      need +=
          b >= 0x20 && b != '"' && b != '\\' ? 1
          : (b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t' || b == '"' || b == '\\')
              ? 2
              : 6;
    }
  }
  ended(s, write_json_string(room(s, need), text));
}

void append_nullable_string(StringInfo s, const char *text) {
  if (text == nullptr)
    append(s, "null");
  else
    append_string(s, text);
}

void append_text_datum(StringInfo s, Datum value) {
  text *t = reinterpret_cast<text *>(pg_detoast_datum_packed(reinterpret_cast<varlena *>(value)));
  append_string(s, std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

void append_value(StringInfo s, const Column &column, Datum value) {
  switch (column.kind) {
    case ColumnKind::text: append_text_datum(s, value); return;
    case ColumnKind::uuid:
      ended(s, write_json_uuid(room(s, json_uuid_size), DatumGetUUIDP(value)->data));
      return;
    case ColumnKind::boolean:
      ended(s, write_json_bool(room(s, json_bool_max_size), DatumGetBool(value)));
      return;
    case ColumnKind::int2:
      ended(s, write_json_int(room(s, json_int_max_size), DatumGetInt16(value)));
      return;
    case ColumnKind::int4:
      ended(s, write_json_int(room(s, json_int_max_size), DatumGetInt32(value)));
      return;
    case ColumnKind::int8:
      ended(s, write_json_int(room(s, json_int_max_size), DatumGetInt64(value)));
      return;
    case ColumnKind::timestamp:
      ended(s, write_json_timestamp(room(s, json_timestamp_max_size), DatumGetTimestamp(value)));
      return;
    case ColumnKind::other: {
      Jsonb *jb = DatumGetJsonbP(FunctionCall1(column.to_jsonb, value));
      JsonbToCString(s, &jb->root, static_cast<int>(VARSIZE(jb)));
      return;
    }
  }
}

void startup(DestReceiver *self, int, TupleDesc desc) {
  Envelope *e = envelope_of(self);
  e->column_count = 0;
  e->columns = static_cast<Column *>(palloc(sizeof(Column) * (desc->natts + 1)));
  for (int i = first_row_column; i < desc->natts; ++i) {
    const Form_pg_attribute att = TupleDescAttr(desc, i);
    Column &c = e->columns[e->column_count++];
    c.attno = i;
    c.kind = kind_of(att->atttypid);
    c.name = NameStr(att->attname);
    const std::string_view name(c.name);
    char *key = static_cast<char *>(palloc(json_string_max_size(name.size()) + 2));
    char *end = write_json_string(key, name);
    *end++ = ':';
    *end++ = ' ';
    c.key = key;
    c.key_len = static_cast<int>(end - key);
    c.to_jsonb = nullptr;
    if (c.kind == ColumnKind::other) {
      // to_jsonb(anyelement) learns its argument's type from the call's
      // expression.
      c.to_jsonb = static_cast<FmgrInfo *>(palloc0(sizeof(FmgrInfo)));
      fmgr_info(F_TO_JSONB, c.to_jsonb);
      c.to_jsonb->fn_expr = reinterpret_cast<Node *>(
          makeFuncExpr(F_TO_JSONB, JSONBOID,
                       list_make1(makeNullConst(att->atttypid, att->atttypmod, att->attcollation)),
                       InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL));
    }
  }
  std::sort(e->columns, e->columns + e->column_count,
            [](const Column &a, const Column &b) { return jsonb_key_before(a.name, b.name); });
}

void write_row(Envelope *e, const Datum *values, const bool *nulls) {
  StringInfo s = &e->text;
  if (e->rows_written > 0) append(s, ", ");
  appendStringInfoChar(s, '{');
  for (int i = 0; i < e->column_count; ++i) {
    const Column &c = e->columns[i];
    if (i > 0) append(s, ", ");
    appendBinaryStringInfo(s, c.key, c.key_len);
    if (nulls[c.attno])
      append(s, "null");
    else
      append_value(s, c, values[c.attno]);
  }
  appendStringInfoChar(s, '}');
}

// After the first row, the buffer is sized once for a page of rows like it
// (and a little more); a page of longer rows grows it by doubling. Up to
// 64 MB: a p_limit far above the default (genre_sync.max_page_size) must not
// reserve for rows that may not exist.
void size_for_page(Envelope *e, int row_bytes) {
  constexpr double most = 64.0 * 1024 * 1024;
  const double wanted = std::min(
      most, e->text.len + static_cast<double>(row_bytes) * (e->page_size - 1) * 1.125 + 1024);
  const int target = static_cast<int>(wanted);
  if (target > e->text.maxlen) {
    e->text.data = static_cast<char *>(repalloc(e->text.data, target));
    e->text.maxlen = target;
  }
}

bool receive(TupleTableSlot *slot, DestReceiver *self) {
  Envelope *e = envelope_of(self);
  if (e->page.count >= static_cast<uint64>(e->page_size)) {
    e->page.has_more = true;
    return false;  // the row past the page only tells has_more
  }
  slot_getallattrs(slot);
  const Datum *values = slot->tts_values;
  const bool *nulls = slot->tts_isnull;
  e->page.count++;
  e->page.last_key = DatumGetTimestamp(values[key_column]);
  std::memcpy(&e->page.last_id, DatumGetUUIDP(values[id_column]), sizeof(pg_uuid_t));
  if (nulls[in_filter_column] || !DatumGetBool(values[in_filter_column])) {
    if (e->removed.len > 0) append(&e->removed, ", ");
    ended(&e->removed, write_json_uuid(room(&e->removed, json_uuid_size), e->page.last_id.data));
    return true;
  }
  const int before = e->text.len;
  MemoryContext caller = MemoryContextSwitchTo(e->row_context);
  write_row(e, values, nulls);
  MemoryContextSwitchTo(caller);
  MemoryContextReset(e->row_context);
  if (e->rows_written++ == 0) size_for_page(e, e->text.len - before);
  return true;
}

void shutdown(DestReceiver *) {}
void destroy(DestReceiver *) {}

}  // namespace

DestReceiver *envelope_receiver(MemoryContext result_context, int page_size) {
  Envelope *e = static_cast<Envelope *>(palloc0(sizeof(Envelope)));
  e->pub.receiveSlot = receive;
  e->pub.rStartup = startup;
  e->pub.rShutdown = shutdown;
  e->pub.rDestroy = destroy;
  e->pub.mydest = DestNone;
  e->page_size = page_size;
  e->row_context =
      AllocSetContextCreate(CurrentMemoryContext, "genre_sync envelope row", ALLOCSET_SMALL_SIZES);
  initStringInfo(&e->removed);
  MemoryContext caller = MemoryContextSwitchTo(result_context);
  initStringInfo(&e->text);
  MemoryContextSwitchTo(caller);
  e->text.len = VARHDRSZ;
  append(&e->text, "{\"rows\": [");
  return &e->pub;
}

EnvelopePage envelope_page(DestReceiver *receiver) { return envelope_of(receiver)->page; }

Datum finish_envelope(DestReceiver *receiver, const EnvelopeFields &f) {
  Envelope *e = envelope_of(receiver);
  StringInfo s = &e->text;
  // The members in jsonb's key order (core/json_text.hpp): shorter keys
  // first, then by bytes, as 1.2's jsonb envelope printed them.
  append(s, "], \"table\": ");
  append_string(s, f.table);
  append(s, ", \"until\": ");
  append_nullable_string(s, f.until);
  append(s, ", \"cursor\": ");
  append_nullable_string(s, f.cursor);
  append(s, ", \"genres\": [");
  Datum *genres = nullptr;
  bool *genre_nulls = nullptr;
  int genre_count = 0;
  deconstruct_array(f.genres, TEXTOID, -1, false, TYPALIGN_INT, &genres, &genre_nulls,
                    &genre_count);
  for (int i = 0; i < genre_count; ++i) {
    if (i > 0) append(s, ", ");
    if (genre_nulls[i])
      append(s, "null");
    else
      append_text_datum(s, genres[i]);
  }
  append(s, "], \"horizon\": ");
  if (f.horizon)
    ended(s, write_json_timestamp(room(s, json_timestamp_max_size), *f.horizon));
  else
    append(s, "null");
  append(s, ", \"removed\": [");
  appendBinaryStringInfo(s, e->removed.data, e->removed.len);
  append(s, "], \"catch_up\": ");
  ended(s, write_json_bool(room(s, json_bool_max_size), f.catch_up));
  append(s, ", \"has_more\": ");
  ended(s, write_json_bool(room(s, json_bool_max_size), f.has_more));
  append(s, ", \"row_count\": ");
  ended(s, write_json_int(room(s, json_int_max_size), static_cast<std::int64_t>(e->page.count)));
  append(s, ", \"genres_hash\": ");
  append_nullable_string(s, f.genres_hash);
  append(s, ", \"next_cursor\": ");
  append_nullable_string(s, f.next_cursor);
  append(s, ", \"horizon_cursor\": ");
  append_nullable_string(s, f.horizon_cursor);
  append(s, ", \"horizon_reason\": ");
  append_nullable_string(s, f.horizon_reason);
  append(s, ", \"horizon_source\": ");
  append_nullable_string(s, f.horizon_source);
  appendStringInfoChar(s, '}');
  // A short page gives back what the page's estimate took.
  if (s->maxlen > 2 * s->len + 8192) {
    s->data = static_cast<char *>(repalloc(s->data, s->len + 1));
    s->maxlen = s->len + 1;
  }
  SET_VARSIZE(s->data, s->len);
  return PointerGetDatum(s->data);
}

}  // namespace gs::backend
