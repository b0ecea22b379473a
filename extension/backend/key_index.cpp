#include "backend/key_index.hpp"

#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "backend/fence.hpp"
#include "backend/genres.hpp"
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
bool caller_sees_what_keys_show(Oid schema, SyncTable table, const char *key_table) {
  const Oid keys_relid = get_relname_relid(key_table, schema);
  if (!OidIsValid(keys_relid) ||
      pg_class_aclcheck(keys_relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
    return false;
  for (const char *name : {table_name(table), "tune"})
    if (check_enable_rls(get_relname_relid(name, schema), InvalidOid, true) == RLS_ENABLED)
      return false;
  return true;
}

// The key index's two indexes on tune are built and valid. PostgreSQL
// calls: runs inside guarded().
bool tune_indexes_valid(Oid schema) {
  for (const char *name : tune_key_indexes) {
    const Oid index = get_relname_relid(name, schema);
    if (!OidIsValid(index)) return false;
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tuple)) return false;
    const Form_pg_index form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple));
    // As the planner: an index built where HOT chains were broken serves
    // only snapshots that cannot see those chains' older rows.
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

// Whether the rows' table is read in time order only through btree indexes
// on (last_modified_at, id), and at least one of them serves any query:
// then a merge join with the keys can only merge on both columns. An index
// led by last_modified_at alone (the seed's note index) is a cheaper path
// in that order, and a plan merging on that column only rescans, for every
// key, the run of rows that share its timestamp. PostgreSQL calls: runs
// inside guarded().
bool time_order_is_by_key(Oid schema, SyncTable table) {
  const Oid relid = get_relname_relid(table_name(table), schema);
  if (!OidIsValid(relid)) return false;
  const AttrNumber ts = get_attnum(relid, "last_modified_at");
  const AttrNumber id = get_attnum(relid, "id");
  Relation rel = table_open(relid, AccessShareLock);
  List *indexes = RelationGetIndexList(rel);
  table_close(rel, NoLock);
  bool by_key = false, by_time_alone = false;
  ListCell *cell;
  foreach (cell, indexes) {
    const Oid index = lfirst_oid(cell);
    HeapTuple tuple = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tuple)) continue;
    const Form_pg_index form = reinterpret_cast<Form_pg_index>(GETSTRUCT(tuple));
    if (form->indnkeyatts >= 1 && form->indkey.values[0] == ts && is_btree(index)) {
      bool isnull = false;
      const int2vector *options = reinterpret_cast<const int2vector *>(
          DatumGetPointer(SysCacheGetAttr(INDEXRELID, tuple, Anum_pg_index_indoption, &isnull)));
      const bool pair = form->indnkeyatts >= 2 && form->indkey.values[1] == id &&
                        options->values[0] == options->values[1];
      if (!pair)
        by_time_alone = true;
      else if (form->indisvalid && heap_attisnull(tuple, Anum_pg_index_indpred, nullptr))
        by_key = true;
    }
    ReleaseSysCache(tuple);
  }
  list_free(indexes);
  return by_key && !by_time_alone;
}

struct DistinctGenres {
  Datum array;
  int count;
};

// The array's distinct non-NULL elements, or nullopt past max_genre_streams.
// The C++ containers stay outside guarded(): a PostgreSQL error unwinds by
// longjmp, which would skip their destructors.
std::optional<DistinctGenres> distinct_genres(Datum array) {
  std::vector<std::string_view> genres = genre_views(array);
  normalize_genre_list(genres);
  if (genres.size() > static_cast<std::size_t>(max_genre_streams)) return std::nullopt;
  DistinctGenres result{0, static_cast<int>(genres.size())};
  Datum distinct[max_genre_streams];
  guarded([&] {
    for (int i = 0; i < result.count; ++i)
      distinct[i] = PointerGetDatum(cstring_to_text_with_len(genres[i].data(), genres[i].size()));
    result.array =
        PointerGetDatum(construct_array(distinct, result.count, TEXTOID, -1, false, TYPALIGN_INT));
  });
  return result;
}

void set_planner_setting(const char *name, const char *value) {
  set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
}

}  // namespace

KeysReader key_reader(Oid schema, SyncTable table) {
  if (table == SyncTable::tune) return KeysReader::nobody;
  KeysReader reader = KeysReader::nobody;
  guarded([&] {
    if (fires_always(schema, "tune", tune_triggers) &&
        fires_always(schema, table_name(table), row_table_triggers))
      reader = caller_sees_what_keys_show(schema, table, key_table_name(table)) ? KeysReader::caller
                                                                                : KeysReader::owner;
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
    guarded([&] {
      in_use = fires_always(schema, "tune", tune_triggers) && tune_indexes_valid(schema);
    });
  } else {
    const KeysReader reader = key_reader(schema, shape.table);
    // The owner's candidates serve pages; a drop-in's offset counts the
    // rows the caller sees, which the keys cannot tell.
    split = reader == KeysReader::owner;
    in_use = reader == KeysReader::caller || (split && page);
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
    // merge-join keys and rows where that is safe; the drop-ins fetch only
    // their page's rows, by id, past the offset.
    bool merge = false;
    if (page && !split) guarded([&] { merge = time_order_is_by_key(schema, shape.table); });
    shape.access = merge ? RowsAccess::keys_by_time_merged : RowsAccess::keys_by_time;
  }
}

bool plan_fixed_by_settings(const RowsShape &shape) {
  // Bounds read all of a user's keys, or a sample, and sort them: the
  // planner's own choice.
  return (shape.access != RowsAccess::app_tables || shape.split == SplitStep::caller_rows) &&
         shape.kind != QueryKind::bounds && shape.kind != QueryKind::bounds_sampled;
}

int apply_planner_settings(const RowsShape &shape) {
  if (!plan_fixed_by_settings(shape)) return 0;
  const int nest_level = NewGUCNestLevel();
  // Their costs are those of whole scans cut by LIMIT; JIT would compile
  // for the whole scan.
  set_planner_setting("jit", "off");
  set_planner_setting("max_parallel_workers_per_gather", "0");
  set_planner_setting("enable_hashjoin", "off");
  if (shape.split == SplitStep::caller_rows) {
    // Each candidate's row and tune by primary key, in a nested loop, and
    // the few found sorted: never a walk of the table in time order
    // filtered by the candidates.
    set_planner_setting("enable_mergejoin", "off");
    return nest_level;
  }
  // Ordered index scans all the way up to LIMIT: no hash join, no sort, no
  // parallel gather; then the one join that keeps the order and reads only
  // as far as needed: the merge join of keys and rows both in key order, or
  // a nested loop fetching each key's row by id.
  set_planner_setting("enable_sort", "off");
  set_planner_setting(
      shape.access == RowsAccess::keys_by_time_merged ? "enable_nestloop" : "enable_mergejoin",
      "off");
  return nest_level;
}

void restore_planner_settings(int nest_level) {
  if (nest_level != 0) AtEOXact_GUC(true, nest_level);
}

}  // namespace gs::backend
