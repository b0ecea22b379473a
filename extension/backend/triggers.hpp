// Whether the triggers that keep genre_sync's own tables exact are in place.
#pragma once

#include <span>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Whether the relation has every trigger of `names`, each firing ALWAYS
// (false for InvalidOid). The caller holds a lock on it (app_relations,
// backend/relation_facts.hpp), which keeps the triggers as they are until
// the transaction ends. PostgreSQL calls: runs inside guarded().
bool fires_always(Oid relid, std::span<const char *const> names);

// Raises 55000 unless the moves triggers of `table` and of tune
// (whose moves move every table's rows) fire: without them sync_pull would
// not learn of rows that left a filter and would leave them on replicas.
// The answer is kept for one catalog generation (backend/relation_facts.hpp).
void require_move_triggers(Oid schema, SyncTable table);

// sync_move_trigger_name() -> text: the name of the moves triggers, for the
// update script that defines the function creating them (only it calls it).
Datum move_trigger_name_function(FunctionCallInfo fcinfo);

}  // namespace gs::backend
