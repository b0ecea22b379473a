#include "core/bounds_query.hpp"

#include <stdexcept>

namespace gs {

std::string bounds_query(const RowsShape &shape, const std::string &rows,
                         const std::string &schema) {
  std::string keys;
  switch (shape.kind) {
    case QueryKind::bounds: keys = "(" + rows + ") k"; break;
    case QueryKind::bounds_sampled:
      // Read from the key index, the rows are the sample's already.
      if (shape.access != RowsAccess::app_tables) {
        keys = "(" + rows + ") k";
        break;
      }
      // From the app tables: Bernoulli samples rows, not blocks, so rows written together (and
      // stored together) do not arrive as one lump. Each sampled row is
      // looked up in the filtered rows by primary key: the lateral
      // subquery cannot be flattened, so no plan reads the whole filter
      // (its tune join above all) for a few thousand rows. A fixed seed
      // gives the same bounds for the same data.
      keys = schema + "." + table_name(shape.table) + " s TABLESAMPLE BERNOULLI (" +
             rows_param(param_sample_percent) +
             ") REPEATABLE (0) CROSS JOIN LATERAL (SELECT f.last_modified_at, f.id FROM (" + rows +
             ") f WHERE f.id OPERATOR(pg_catalog.=) s.id OFFSET 0) k";
      break;
    default: throw std::logic_error("not a bounds shape");
  }
  // ntile cuts the keys below the horizon, in key order, into parts whose
  // sizes differ by at most one; each part reports its size and its last
  // key. Rows at or past the horizon all fall in the last, open-ended part:
  // a part that ended before it could not be fetched whole yet, and a
  // worker that keeps the last part's cursor would skip what that part
  // could not deliver.
  const std::string last = " ORDER BY q.last_modified_at DESC, q.id DESC))[1]";
  return "SELECT q.part, pg_catalog.count(*),"
         " (pg_catalog.array_agg(q.last_modified_at" +
         last +
         ","
         " (pg_catalog.array_agg(q.id" +
         last + " FROM (SELECT pg_catalog.ntile(" + rows_param(param_parts) +
         ") OVER (ORDER BY k.last_modified_at, k.id) AS part, k.last_modified_at, k.id"
         " FROM " +
         keys + " WHERE k.last_modified_at OPERATOR(pg_catalog.<) " + rows_param(param_horizon) +
         ") q GROUP BY q.part ORDER BY q.part";
}

}  // namespace gs
