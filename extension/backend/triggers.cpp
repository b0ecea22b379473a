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
  static const char *const moves[] = {"genre_sync_moves"};
  const AppRelations &relations = app_relations(schema, table);
  guarded([&] {
    const SyncTable tables[] = {SyncTable::tune, table};
    for (const SyncTable checked : std::span(tables, table == SyncTable::tune ? 1 : 2))
      if (!fires_always(relation_of(relations, checked), moves))
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("genre_sync's trigger genre_sync_moves on table %s is missing or disabled",
                        table_name(checked)),
                 errdetail("Without it, rows that leave a user's filter are not recorded, and "
                           "sync_pull cannot tell workers to remove them."),
                 errhint("A superuser runs SELECT sync_install_move_triggers(); it creates and "
                         "enables the missing triggers. Moves made while a trigger was missing "
                         "are not recorded: workers that need them sync again from no cursor.")));
  });
}

}  // namespace gs::backend
