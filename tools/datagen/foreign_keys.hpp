#pragma once

#include "common/pg_connection.hpp"

namespace gs::datagen {

// Per-row foreign-key triggers cost a third to a half of the load time.
// A superuser can switch them off for the load transaction
// (session_replication_role = replica) and have verify_foreign_keys() check
// every constraint with one anti-join each before COMMIT: same guarantee,
// set-at-a-time. Not when the app tables carry triggers of their own (the
// extension's side-table triggers, say), which replica mode would skip too.
bool can_check_foreign_keys_after_load(tools::PgConnection &conn);

// Checks every foreign key of the app tables (MATCH SIMPLE: rows with a NULL
// key column pass) and throws tools::PgError naming the first one violated.
void verify_foreign_keys(tools::PgConnection &conn);

}  // namespace gs::datagen
