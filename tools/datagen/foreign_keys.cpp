#include "datagen/foreign_keys.hpp"

#include "datagen/tables.hpp"

#include <string>

namespace gs::datagen {
namespace {

// `{genre,user_profile,...}` for a regclass[] parameter.
std::string app_tables_array() {
  std::string text = "{";
  for (std::size_t i = 0; i < app_tables.size(); ++i) {
    text += (i ? "," : "") + std::string(app_tables[i]);
  }
  return text + "}";
}

// One row per foreign key: the anti-join that counts orphans, built from the
// catalog so it follows the schema rather than repeating it.
constexpr const char *orphan_queries_sql = R"sql(
SELECT c.conname, c.conrelid::regclass::text,
       format('SELECT count(*) FROM %s x WHERE %s AND NOT EXISTS (SELECT 1 FROM %s y WHERE %s)',
              c.conrelid::regclass,
              string_agg(format('x.%I IS NOT NULL', a.attname), ' AND ' ORDER BY k.n),
              c.confrelid::regclass,
              string_agg(format('y.%I = x.%I', b.attname, a.attname), ' AND ' ORDER BY k.n))
  FROM pg_constraint c
 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(child_col, parent_col, n)
  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child_col
  JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = k.parent_col
 WHERE c.contype = 'f' AND c.conrelid = ANY($1::regclass[])
 GROUP BY c.oid, c.conname, c.conrelid, c.confrelid
 ORDER BY 2, 1
)sql";

}  // namespace

bool can_check_foreign_keys_after_load(tools::PgConnection &conn) {
  const char *superuser = PQparameterStatus(conn.get(), "is_superuser");
  if (superuser == nullptr || std::string(superuser) != "on") {
    return false;
  }
  const std::string tables = app_tables_array();
  const tools::PgResult triggers = conn.exec(
      "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY($1::regclass[])",
      {tables.c_str()});
  return triggers.value(0, 0) == "0";
}

void verify_foreign_keys(tools::PgConnection &conn) {
  const std::string tables = app_tables_array();
  const tools::PgResult checks = conn.exec(orphan_queries_sql, {tables.c_str()});
  for (int i = 0; i < checks.rows(); ++i) {
    const tools::PgResult orphans = conn.exec(std::string(checks.value(i, 2)));
    if (orphans.value(0, 0) != "0") {
      throw tools::PgError("foreign key " + std::string(checks.value(i, 0)) + " on " +
                               std::string(checks.value(i, 1)) + ": " +
                               std::string(orphans.value(0, 0)) + " rows without a parent",
                           "23503");
    }
  }
}

}  // namespace gs::datagen
