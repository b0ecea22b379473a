#include "backend/triggers.hpp"

#include <cstring>

#include "backend/fence.hpp"
#include "backend/relation_facts.hpp"

extern "C" {
#include "access/table.h"
#include "commands/trigger.h"
#include "utils/rel.h"
}

namespace gs::backend {

namespace {

// The trigger on tune, note and reference that records moves, named here
// only: extension/sql/1.2--1.3/10_moves.sql reads the name through
// sync_move_trigger_name().
const char *const moves_trigger[] = {"genre_sync_moves"};

// Whether each table's moves trigger fires ALWAYS, per schema, -1 not known
// yet. Disabling or dropping a trigger invalidates its table's relcache
// entry, which starts a new catalog generation.
struct MoveTriggerFacts {
  signed char fires[3] = {-1, -1, -1};  // per SyncTable
};
GenerationFacts<Oid, MoveTriggerFacts> move_trigger_facts;

// PostgreSQL calls: runs inside guarded().
bool moves_recorded(const AppRelations &relations, SyncTable table) {
  signed char &known = move_trigger_facts.get(relations.schema).fires[static_cast<int>(table)];
  if (known < 0) known = fires_always(relation_of(relations, table), moves_trigger);
  return known > 0;
}

}  // namespace

bool fires_always(Oid relid, std::span<const char *const> names) {
  if (!OidIsValid(relid)) return false;
  Relation rel = table_open(relid, NoLock);
  std::size_t found = 0;
  if (const TriggerDesc *desc = rel->trigdesc)
    for (const char *name : names)
      for (int i = 0; i < desc->numtriggers; ++i)
        if (std::strcmp(desc->triggers[i].tgname, name) == 0 &&
            desc->triggers[i].tgenabled == TRIGGER_FIRES_ALWAYS) {
          ++found;
          break;
        }
  table_close(rel, NoLock);
  return found == names.size();
}

void require_move_triggers(Oid schema, SyncTable table) {
  // Locks the tables first: that takes any invalidation still pending.
  const AppRelations &relations = app_relations(schema, table);
  guarded([&] {
    const SyncTable tables[] = {SyncTable::tune, table};
    for (const SyncTable checked : std::span(tables, table == SyncTable::tune ? 1 : 2))
      if (!moves_recorded(relations, checked))
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("genre_sync's trigger %s on table %s is missing or disabled",
                        moves_trigger[0], table_name(checked)),
                 errdetail("Without it, rows that leave a user's filter are not recorded, and "
                           "sync_pull cannot tell workers to remove them."),
                 errhint("A superuser runs SELECT sync_install_move_triggers(); it creates and "
                         "enables the missing triggers. Moves made while a trigger was missing "
                         "are not recorded: workers that need them sync again from no cursor.")));
  });
}

Datum move_trigger_name_function(FunctionCallInfo) {
  Datum result = (Datum)0;
  guarded([&] { result = CStringGetTextDatum(moves_trigger[0]); });
  return result;
}

}  // namespace gs::backend
