#include "methods.hpp"

#include <algorithm>

namespace gs::bench {

const char *method_name(Method m) {
  switch (m) {
    case Method::seed_offset: return "seed OFFSET";
    case Method::peer_keyset: return "DBA keyset (SQL)";
    case Method::ours_keyset: return "ours keyset";
    case Method::ours_offset: return "ours drop-in OFFSET";
    case Method::copy_floor: return "COPY floor";
    case Method::ours_page_json: return "ours page as JSON";
    case Method::ours_envelope: return "ours envelope";
  }
  return "?";
}

Paging paging_of(Method m) {
  switch (m) {
    case Method::seed_offset:
    case Method::ours_offset: return Paging::offset;
    case Method::peer_keyset:
    case Method::ours_keyset:
    case Method::ours_page_json: return Paging::keyset;
    case Method::copy_floor: return Paging::copy;
    case Method::ours_envelope: return Paging::envelope;
  }
  return Paging::copy;
}

bool method_applies(Method m, Table t) { return !(m == Method::ours_offset && t == Table::tunes); }

std::vector<Method> methods_for(Table t, const std::vector<Method> &chosen) {
  std::vector<Method> out;
  for (Method m :
       {Method::seed_offset, Method::peer_keyset, Method::ours_keyset, Method::ours_offset,
        Method::copy_floor, Method::ours_page_json, Method::ours_envelope})
    if (method_applies(m, t) &&
        (chosen.empty() || std::find(chosen.begin(), chosen.end(), m) != chosen.end()))
      out.push_back(m);
  return out;
}

const char *table_sql_name(Table t) {
  switch (t) {
    case Table::notes: return "note";
    case Table::references: return "reference";
    case Table::tunes: return "tune";
  }
  return "?";
}

namespace {
std::string function_name(Method m, Table t) {
  const std::string singular = t == Table::notes        ? "notes"
                               : t == Table::references ? "references"
                                                        : "tunes";
  switch (m) {
    case Method::seed_offset:
      return t == Table::tunes ? "seed.user_tunes" : "seed.sync_get_user_" + singular;
    case Method::ours_offset: return "sync_get_user_" + singular;
    case Method::peer_keyset: return "peer." + singular + "_page";
    case Method::ours_keyset:
    case Method::ours_page_json: return "sync_" + singular + "_page";
    case Method::copy_floor:
    case Method::ours_envelope: break;
  }
  return {};
}
}  // namespace

const char *table_alias(Table t) { return t == Table::tunes ? "t" : "x"; }

std::string page_sql(Method m, Table t) {
  const std::string fn = function_name(m, t);
  if (m == Method::ours_page_json)
    return "SELECT json_agg(p) FROM " + fn +
           "($1::uuid, $2::text[], $3::timestamptz, $4::uuid, $5::int) p";
  if (m == Method::ours_envelope)
    return "SELECT sync_pull($1, $2::uuid, $3::text[], $4, $5::int, $6)";
  if (paging_of(m) == Paging::offset)
    return "SELECT * FROM " + fn + "($1::uuid, $2::text[], $3::timestamptz, $4::int, $5::int)";
  return "SELECT * FROM " + fn + "($1::uuid, $2::text[], $3::timestamptz, $4::uuid, $5::int)";
}

std::string result_sql(Table t, const std::string &select_list, const std::string &user_expr,
                       const std::string &genres_expr,
                       const std::optional<std::string> &after_expr) {
  const std::string genre_filter = "((t.genre = ANY (" + genres_expr +
                                   ") AND t.private_for IS NULL) OR t.private_for = " + user_expr +
                                   ")";
  std::string sql = "SELECT " + select_list + " FROM ";
  if (t == Table::tunes) {
    sql += "tune t WHERE " + genre_filter;
    sql +=
        after_expr ? " AND t.last_modified_at > " + *after_expr : std::string(" AND NOT t.deleted");
    return sql + " ORDER BY t.last_modified_at, t.id";
  }
  sql += std::string(table_sql_name(t)) + " x JOIN tune t ON x.tune_ref = t.id WHERE " +
         genre_filter + " AND NOT t.deleted AND (x.user_ref IS NULL OR x.user_ref = " + user_expr +
         ")";
  if (after_expr) sql += " AND x.last_modified_at > " + *after_expr;
  return sql + " ORDER BY x.last_modified_at, x.id";
}

}  // namespace gs::bench
