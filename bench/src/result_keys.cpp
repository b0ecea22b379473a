#include "result_keys.hpp"

namespace gs::bench {

std::vector<Cursor> result_keys(tools::PgConnection &conn, Table t, const BenchUser &user,
                                bool incremental) {
  const std::string a = table_alias(t);
  const std::optional<std::string> after =
      incremental ? std::optional<std::string>("'-infinity'::timestamptz") : std::nullopt;
  auto res = conn.exec(result_sql(t, a + ".last_modified_at::text, " + a + ".id::text", "$1::uuid",
                                  "$2::text[]", after),
                       {user.id.c_str(), user.genres.c_str()});
  std::vector<Cursor> keys;
  keys.reserve(static_cast<std::size_t>(res.rows()));
  for (int r = 0; r < res.rows(); ++r)
    keys.push_back({std::string(res.value(r, 0)), std::string(res.value(r, 1))});
  return keys;
}

}  // namespace gs::bench
