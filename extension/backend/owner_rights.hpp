// Running part of a call with the rights of the owner of one of the
// extension's tables (the extension's owner), for what no caller is
// granted: reading who moved (sync_move) or the key index's candidates
// (backend/caller_keys.hpp). The app's rows are never read this way.
#pragma once

#include "backend/fence.hpp"
#include "backend/pg.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "utils/syscache.h"
}

namespace gs::backend {

// Runs fn as the owner of `table` in `schema`, as a security-restricted
// operation (as PostgreSQL runs a maintenance command as a table's owner:
// no session state may change under that identity), and gives the caller's
// identity back however fn ends. fn runs PostgreSQL calls through guarded().
template <typename Fn>
void as_owner_of(Oid schema, const char *table, Fn &&fn) {
  Oid saved_user = InvalidOid;
  int saved_context = 0;
  guarded([&] {
    GetUserIdAndSecContext(&saved_user, &saved_context);
    HeapTuple rel = SearchSysCache1(RELOID, ObjectIdGetDatum(get_relname_relid(table, schema)));
    if (!HeapTupleIsValid(rel)) elog(ERROR, "genre_sync's table %s is missing", table);
    const Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(rel))->relowner;
    ReleaseSysCache(rel);
    SetUserIdAndSecContext(
        owner, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  });
  try {
    fn();
  } catch (...) {
    guarded([&] { SetUserIdAndSecContext(saved_user, saved_context); });
    throw;
  }
  guarded([&] { SetUserIdAndSecContext(saved_user, saved_context); });
}

}  // namespace gs::backend
