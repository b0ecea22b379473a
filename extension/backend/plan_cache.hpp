// Kept SPI plans, one per query shape, prepared on first use in a backend
// and reused by every later call (parse and analysis happen once).
#pragma once

#include <string>

#include "backend/pg.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// The schema the extension's functions (and so the app tables) live in.
Oid function_schema(FunctionCallInfo fcinfo);
std::string quoted_schema_name(Oid schema);

// Every slot: query_slot()'s, then one more per rows shape for its plan
// that reads the tables whole (PlanChoice::whole in plan_choice.hpp): the
// same text, kept apart because its generic plan is made under other
// planner settings than the shape's own.
inline constexpr int kept_slot_count = query_slot_count + rows_slot_count;
constexpr int whole_plan_slot(int rows_slot) { return query_slot_count + rows_slot; }

// The plan kept in `slot`, or nullptr when there is none yet or the
// extension moved to another schema since it was prepared.
SPIPlanPtr cached_plan(Oid schema, int slot);
// Prepares sql and keeps it in `slot`. Requires an SPI connection.
// cursor_options: 0, or CURSOR_OPT_GENERIC_PLAN to plan once for every
// parameter value instead of letting the plan cache choose per call.
SPIPlanPtr prepare_kept_plan(Oid schema, int slot, const std::string &sql, int nargs, Oid *argtypes,
                             int cursor_options = 0);

// The kept plan for `slot`; make_sql() builds its text only on first use.
template <typename MakeSql>
SPIPlanPtr kept_plan(Oid schema, int slot, int nargs, Oid *argtypes, MakeSql &&make_sql,
                     int cursor_options = 0) {
  if (SPIPlanPtr plan = cached_plan(schema, slot)) return plan;
  return prepare_kept_plan(schema, slot, make_sql(), nargs, argtypes, cursor_options);
}

}  // namespace gs::backend
