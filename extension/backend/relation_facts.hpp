// The relations the sync functions read, found by name once and kept across
// calls in this backend, and a generation number for what is derived from
// the catalogs: any relation's relcache invalidation, or new statistics,
// starts a new generation (docs/design.md, "What a call keeps").
#pragma once

#include <cstdint>
#include <optional>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// InvalidOid for a relation that does not exist.
struct AppRelations {
  Oid schema;
  Oid tune, note, reference;
  Oid key_note, key_reference;
  Oid user_genre_selection, playlist, playlist_tune;
};

// The relations of `schema`, after taking AccessShareLock on tune and, for
// notes and references, on `table` (the locks the page's query takes anyway;
// taking them first brings in any invalidation still pending, so what is
// kept is current, and keeps the relations as they are until the
// transaction ends). PostgreSQL calls inside.
const AppRelations &app_relations(Oid schema, SyncTable table);
// The relations of `schema` without locking anything.
const AppRelations &app_relations(Oid schema);

// Facts derived from the catalogs are valid while this is unchanged.
std::uint64_t catalog_generation();

// Facts derived from the catalogs for one key (a schema, a relation, an
// argument), kept for one catalog generation: get(key) returns them as kept,
// or value-initialised (`Facts{}`: each fact "not known yet") when the key
// differs or the catalogs changed since. The caller fills in what it reads;
// reading may start a new generation (pending invalidations), which the next
// get() then sees, and a read that fails leaves its fact "not known". Held
// in static storage: a backend-lifetime cache.
template <typename Key, typename Facts>
class GenerationFacts {
 public:
  template <typename KeyLike>
  Facts &get(const KeyLike &key) {
    if (generation_ != catalog_generation() || !(key_ == key)) {
      generation_ = catalog_generation();
      key_ = key;
      facts_ = Facts{};
    }
    return facts_;
  }

 private:
  std::uint64_t generation_ = 0;  // generations start at 1
  Key key_{};
  Facts facts_{};
};

// pg_class.reltuples of `relid`, the planner's row count (-1 if never
// counted), or nullopt if there is no such relation. PostgreSQL calls: runs
// inside guarded().
std::optional<double> class_reltuples(Oid relid);

Oid relation_of(const AppRelations &relations, SyncTable table);
Oid key_relation_of(const AppRelations &relations, SyncTable table);

}  // namespace gs::backend
