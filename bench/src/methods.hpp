#pragma once
// The ways of pulling a user's rows that the benchmark compares, and the SQL
// each one sends. Ours are the extension's functions (in the search_path),
// the seed's live in schema `seed`, the DBA's keyset peer in schema `peer`.
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace gs::bench {

enum class Paging { offset, keyset, copy, envelope };

const char *method_name(Method m);
Paging paging_of(Method m);
// Our drop-in OFFSET functions cover notes and references only.
bool method_applies(Method m, Table t);
// The chosen methods (all when none were chosen) that apply to t, in the
// order they run and print.
std::vector<Method> methods_for(Table t, const std::vector<Method> &chosen = {});

// The page request, text protocol. Offset functions take
// ($1 user, $2 genres, $3 after_ts, $4 limit, $5 offset); keyset functions
// ($1 user, $2 genres, $3 after_ts, $4 after_id, $5 limit), also as one
// json_agg value; sync_pull ($1 table, $2 user, $3 genres, $4 cursor,
// $5 limit, $6 until).
std::string page_sql(Method m, Table t);

// The user's result rows in (last_modified_at, id) order, written with the
// given SQL expressions for the user id, the genre array and (for an
// incremental pull) the after timestamp. Tunes: deleted ones only on an
// incremental pull, as sync_tunes_page does.
std::string result_sql(Table t, const std::string &select_list, const std::string &user_expr,
                       const std::string &genres_expr,
                       const std::optional<std::string> &after_expr);

// sync_pull's p_table for t.
const char *table_sql_name(Table t);

// The alias result_sql gives the table, for select lists.
const char *table_alias(Table t);

}  // namespace gs::bench
