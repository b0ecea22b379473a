#include "backend/key_index.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/fence.hpp"
#include "backend/genres.hpp"
#include "backend/plan_choice.hpp"
#include "backend/relation_facts.hpp"
#include "backend/triggers.hpp"
#include "core/genre_list.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/table.h"
#include "access/transam.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_index.h"
#include "commands/trigger.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

namespace gs::backend {

namespace {

// The names of the key index's objects, defined here only: the SQL that
// creates and checks them reads them through sync_key_index_names()
// (extension/sql/1.2--1.3/20_key_index.sql).
// The triggers sync_enable_key_index() installs; all of them must fire, or
// keys may be missing. On note and reference: on INSERT, UPDATE, DELETE and
// TRUNCATE, in this order.
const char *const row_table_triggers[] = {
    "genre_sync_key_index_insert", "genre_sync_key_index_update", "genre_sync_key_index_delete",
    "genre_sync_key_index_truncate"};
const char *const tune_triggers[] = {"genre_sync_key_index"};
// Its two indexes on tune: the per-genre streams, the private one.
const char *const tune_key_indexes[] = {"genre_sync_tune_genre_key_idx",
                                        "genre_sync_tune_private_key_idx"};

// The key index bypasses the row security of the rows' and the tunes'
// tables, and reading it takes SELECT on it: without that privilege, or with
// row security in force for the caller on either table, the caller may not
// read it (its pages read the owner's candidates, or the app tables).
// PostgreSQL calls: runs inside guarded().
bool caller_sees_what_keys_show(const AppRelations &relations, SyncTable table) {
  const Oid keys_relid = key_relation_of(relations, table);
  if (!OidIsValid(keys_relid) ||
      pg_class_aclcheck(keys_relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
    return false;
  for (const Oid relid : {relation_of(relations, table), relations.tune})
    if (check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED) return false;
  return true;
}

// The key index's two indexes on tune are built and valid. `lasting`: the
// answer holds for every later transaction too, until the catalogs change.
// PostgreSQL calls: runs inside guarded().
bool tune_indexes_valid(Oid schema, bool &lasting) {
  lasting = true;
  for (const char *name : tune_key_indexes) {
    const Oid index = get_relname_relid(name, schema);
    if (!OidIsValid(index)) return false;
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tuple)) return false;
    const Form_pg_index form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple));
    // As the planner: an index built where HOT chains were broken serves
    // only snapshots that cannot see those chains' older rows.
    if (form->indcheckxmin) lasting = false;
    const bool usable =
        form->indisvalid && form->indisready && form->indislive &&
        (!form->indcheckxmin ||
         TransactionIdPrecedes(HeapTupleHeaderGetXmin(tuple->t_data), TransactionXmin));
    ReleaseSysCache(tuple);
    if (!usable) return false;
  }
  return true;
}

// PostgreSQL calls: runs inside guarded().
bool is_btree(Oid index) {
  HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(index));
  if (!HeapTupleIsValid(tuple)) return false;
  const bool btree = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->relam == BTREE_AM_OID;
  ReleaseSysCache(tuple);
  return btree;
}

// Whether the rows' table has a btree index on (last_modified_at, id) that
// serves any query: the one path that delivers the rows' subquery of a
// merged page in key order (sync_query.cpp, keys_by_time_merged) with sorts
// off. Without it the pages fetch each key's row by primary key.
// PostgreSQL calls: runs inside guarded().
bool time_order_is_by_key(Oid relid) {
  if (!OidIsValid(relid)) return false;
  const AttrNumber ts = get_attnum(relid, "last_modified_at");
  const AttrNumber id = get_attnum(relid, "id");
  Relation rel = table_open(relid, NoLock);
  List *indexes = RelationGetIndexList(rel);
  table_close(rel, NoLock);
  bool by_key = false;
  ListCell *cell;
  foreach (cell, indexes) {
    const Oid index = lfirst_oid(cell);
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tuple)) continue;
    const Form_pg_index form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple));
    if (form->indnkeyatts >= 2 && form->indkey.values[0] == ts && form->indkey.values[1] == id &&
        form->indisvalid && heap_attisnull(tuple, Anum_pg_index_indpred, nullptr) &&
        is_btree(index)) {
      bool isnull = false;
      const int2vector *options = reinterpret_cast<const int2vector *>(
          DatumGetPointer(SysCacheGetAttr(INDEXRELID, tuple, Anum_pg_index_indoption, &isnull)));
      if (options->values[0] == options->values[1]) by_key = true;
    }
    ReleaseSysCache(tuple);
  }
  list_free(indexes);
  return by_key;
}

struct DistinctGenres {
  Datum array;
  int count;
};

// The array's distinct non-NULL elements, or nullopt past max_genre_streams.
std::optional<DistinctGenres> distinct_genres(Datum array) {
  std::vector<std::string_view> genres = genre_views(array);
  normalize_genre_list(genres);
  if (genres.size() > static_cast<std::size_t>(max_genre_streams)) return std::nullopt;
  return DistinctGenres{genre_array(genres), static_cast<int>(genres.size())};
}

// What the catalogs say of the key index, per schema, -1 not known yet. What
// depends on the caller (privilege, row security) is checked on every call.
struct KeyIndexFacts {
  signed char triggers[3] = {-1, -1, -1};     // per SyncTable: its key index triggers fire ALWAYS
  signed char tune_indexes = -1;              // the key index's indexes on tune serve any snapshot
  signed char time_by_key[3] = {-1, -1, -1};  // per SyncTable: time_order_is_by_key
};
GenerationFacts<Oid, KeyIndexFacts> key_index_facts;

KeyIndexFacts &current_facts(Oid schema) { return key_index_facts.get(schema); }

// PostgreSQL calls: runs inside guarded().
bool triggers_fire(const AppRelations &relations, SyncTable table) {
  signed char &known = current_facts(relations.schema).triggers[static_cast<int>(table)];
  if (known < 0)
    known = table == SyncTable::tune
                ? fires_always(relations.tune, tune_triggers)
                : fires_always(relation_of(relations, table), row_table_triggers);
  return known > 0;
}

// PostgreSQL calls: runs inside guarded().
bool tune_indexes_serve(const AppRelations &relations) {
  signed char &known = current_facts(relations.schema).tune_indexes;
  if (known >= 0) return known > 0;
  bool lasting = true;
  const bool valid = tune_indexes_valid(relations.schema, lasting);
  if (lasting) known = valid;
  return valid;
}

// PostgreSQL calls: runs inside guarded().
bool time_by_key(const AppRelations &relations, SyncTable table) {
  signed char &known = current_facts(relations.schema).time_by_key[static_cast<int>(table)];
  if (known < 0) known = time_order_is_by_key(relation_of(relations, table));
  return known > 0;
}

}  // namespace

KeysReader key_reader(Oid schema, SyncTable table) {
  if (table == SyncTable::tune) return KeysReader::nobody;
  const AppRelations &relations = app_relations(schema, table);
  KeysReader reader = KeysReader::nobody;
  guarded([&] {
    if (triggers_fire(relations, SyncTable::tune) && triggers_fire(relations, table))
      reader =
          caller_sees_what_keys_show(relations, table) ? KeysReader::caller : KeysReader::owner;
  });
  return reader;
}

bool keys_serve(Oid schema, SyncTable table) {
  return key_reader(schema, table) == KeysReader::caller;
}

Datum key_index_names_function(FunctionCallInfo fcinfo) {
  Datum result = (Datum)0;
  guarded([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "sync_key_index_names must return a record");
    desc = BlessTupleDesc(desc);
    Datum values[9];
    bool nulls[9] = {};
    int i = 0;
    for (const char *name : row_table_triggers) values[i++] = CStringGetTextDatum(name);
    values[i++] = CStringGetTextDatum(tune_triggers[0]);
    for (const char *name : tune_key_indexes) values[i++] = CStringGetTextDatum(name);
    for (SyncTable table : {SyncTable::note, SyncTable::reference})
      values[i++] = CStringGetTextDatum(key_table_name(table));
    if (i != desc->natts) elog(ERROR, "sync_key_index_names returns %d columns", desc->natts);
    result = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
  });
  return result;
}

void choose_rows_access(Oid schema, RowsShape &shape, RowsArgs &args) {
  shape.access = RowsAccess::app_tables;
  const bool tunes = shape.table == SyncTable::tune;
  const bool page = shape.kind == QueryKind::keyset_rows || shape.kind == QueryKind::envelope;
  if (!args.genre_ids || !(page || (!tunes && shape.kind == QueryKind::offset_rows))) return;
  bool in_use = false;
  bool split = false;
  if (tunes) {
    // Read by genre from indexes on tune itself, policies and all.
    const AppRelations &relations = app_relations(schema, SyncTable::tune);
    guarded([&] {
      in_use = triggers_fire(relations, SyncTable::tune) && tune_indexes_serve(relations);
    });
  } else {
    const KeysReader reader = key_reader(schema, shape.table);
    // The owner's candidates serve pages; a drop-in's offset counts the
    // rows the caller sees, which the keys cannot tell.
    split = reader == KeysReader::owner;
    in_use = reader == KeysReader::caller || (split && page);
    // The owner's candidates pay for themselves when they skip the rows of
    // other genres. A user whose genres hold most tunes skips few: the
    // caller's own walk in key order reads each row once, where a split
    // page reads its keys and then each row again by primary key.
    if (in_use && split &&
        genres_hold_most_tunes(app_relations(schema, shape.table), *args.genre_ids))
      return;
  }
  if (!in_use) return;
  if (split) shape.split = SplitStep::owner_keys;
  if (const std::optional<DistinctGenres> genres = distinct_genres(*args.genre_ids)) {
    shape.access = RowsAccess::keys_by_genre;
    shape.genre_streams = genres->count;
    args.genre_ids = genres->array;
  } else if (!tunes) {
    // (Tunes of many genres walk tune's own (last_modified_at, id) index,
    // reading the genre from the row: there is no tune probe to save.) Pages
    // merge-join keys and rows where the table has its (last_modified_at,
    // id) index; the drop-ins fetch only their page's rows, by id, past the
    // offset.
    bool merge = false;
    if (page && !split) {
      const AppRelations &relations = app_relations(schema, shape.table);
      guarded([&] { merge = time_by_key(relations, shape.table); });
    }
    shape.access = merge ? RowsAccess::keys_by_time_merged : RowsAccess::keys_by_time;
  }
}

}  // namespace gs::backend
