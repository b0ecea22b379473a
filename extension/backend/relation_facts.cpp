#include "backend/relation_facts.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "storage/lmgr.h"
#include "utils/inval.h"
#include "utils/syscache.h"
}

#include "backend/fence.hpp"

namespace gs::backend {

namespace {

std::uint64_t generation = 1;
bool callbacks_registered = false;
AppRelations relations{};
std::uint64_t relations_generation = 0;

// Called by PostgreSQL while it takes invalidations: nothing here may fail.
// Any relation at all, not only ours: a table created under one of the
// names looked for, or a dropped one's name reused, is news about a name.
void relation_changed(Datum, Oid) { ++generation; }
void statistics_changed(Datum, int, uint32) { ++generation; }

// PostgreSQL calls: runs inside guarded().
void register_callbacks() {
  if (callbacks_registered) return;
  CacheRegisterRelcacheCallback(relation_changed, (Datum)0);
  CacheRegisterSyscacheCallback(STATRELATTINH, statistics_changed, (Datum)0);
  callbacks_registered = true;
}

// PostgreSQL calls: runs inside guarded().
const AppRelations &find_relations(Oid schema) {
  register_callbacks();
  if (relations_generation == generation && relations.schema == schema) return relations;
  relations_generation = generation;
  relations.schema = schema;
  relations.tune = get_relname_relid("tune", schema);
  relations.note = get_relname_relid("note", schema);
  relations.reference = get_relname_relid("reference", schema);
  relations.key_note = get_relname_relid(key_table_name(SyncTable::note), schema);
  relations.key_reference = get_relname_relid(key_table_name(SyncTable::reference), schema);
  relations.user_genre_selection = get_relname_relid("user_genre_selection", schema);
  relations.playlist = get_relname_relid("playlist", schema);
  relations.playlist_tune = get_relname_relid("playlist_tune", schema);
  return relations;
}

}  // namespace

const AppRelations &app_relations(Oid schema) {
  guarded([&] { find_relations(schema); });
  return relations;
}

const AppRelations &app_relations(Oid schema, SyncTable table) {
  guarded([&] {
    // A lock taken for the first time in the transaction takes the pending
    // invalidations, which may start a new generation: then look again.
    for (;;) {
      const std::uint64_t seen = generation;
      const AppRelations &found = find_relations(schema);
      for (const Oid relid : {found.tune, relation_of(found, table)})
        if (OidIsValid(relid)) LockRelationOid(relid, AccessShareLock);
      if (generation == seen) break;
    }
  });
  return relations;
}

std::uint64_t catalog_generation() { return generation; }

std::optional<double> class_reltuples(Oid relid) {
  HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
  if (!HeapTupleIsValid(tuple)) return std::nullopt;
  const double rows = reinterpret_cast<Form_pg_class>(GETSTRUCT(tuple))->reltuples;
  ReleaseSysCache(tuple);
  return rows;
}

Oid relation_of(const AppRelations &found, SyncTable table) {
  switch (table) {
    case SyncTable::note: return found.note;
    case SyncTable::reference: return found.reference;
    case SyncTable::tune: break;
  }
  return found.tune;
}

Oid key_relation_of(const AppRelations &found, SyncTable table) {
  return table == SyncTable::note        ? found.key_note
         : table == SyncTable::reference ? found.key_reference
                                         : InvalidOid;
}

}  // namespace gs::backend
