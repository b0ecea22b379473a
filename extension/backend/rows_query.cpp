#include "backend/rows_query.hpp"

#include <cstring>

#include "backend/caller_keys.hpp"
#include "backend/fence.hpp"
#include "backend/plan_cache.hpp"
#include "backend/plan_choice.hpp"
#include "backend/relation_facts.hpp"

namespace gs::backend {

namespace {

void set_param(ParamListInfo params, RowsParam which, std::optional<Datum> value, Oid type) {
  ParamExternData &p = params->params[which - 1];
  p.value = value.value_or((Datum)0);
  p.isnull = !value.has_value();
  p.pflags = PARAM_FLAG_CONST;
  p.ptype = type;
}

std::optional<Datum> if_given(bool given, Datum value) {
  return given ? std::optional<Datum>(value) : std::nullopt;
}

// Binds the arguments and runs the plan, rows to dest.
void execute_rows_plan(SPIPlanPtr plan, const RowsShape &shape, const RowsArgs &args,
                       const Oid *argtypes, std::optional<Datum> horizon, DestReceiver *dest) {
  const bool has_after = shape.after != BoundKind::none;
  const bool has_until = shape.until != BoundKind::none;
  guarded([&] {
    ParamListInfo params = makeParamList(rows_param_count);
    set_param(params, param_user_id, args.user_id, argtypes[0]);
    set_param(params, param_genre_ids, args.genre_ids, argtypes[1]);
    set_param(params, param_after_ts, if_given(has_after, args.after_ts), argtypes[2]);
    set_param(params, param_after_id,
              if_given(shape.after == BoundKind::timestamp_and_id, args.after_id), argtypes[3]);
    set_param(params, param_until_ts, if_given(has_until, args.until_ts), argtypes[4]);
    set_param(params, param_until_id,
              if_given(shape.until == BoundKind::timestamp_and_id, args.until_id), argtypes[5]);
    set_param(params, param_limit, Int32GetDatum(args.limit), argtypes[6]);
    set_param(params, param_offset, Int32GetDatum(args.offset), argtypes[7]);
    set_param(params, param_horizon, horizon, argtypes[8]);
    set_param(params, param_parts, Int32GetDatum(args.parts), argtypes[9]);
    set_param(params, param_sample_percent, Float4GetDatum(args.sample_percent), argtypes[10]);
    set_param(params, param_change_genres, args.change_genres, argtypes[11]);
    set_param(params, param_moved_tunes, args.moved_tunes, argtypes[12]);
    set_param(params, param_seen_tunes, args.seen_tunes, argtypes[13]);
    set_param(params, param_moved_rows, args.moved_rows, argtypes[14]);
    set_param(params, param_seen_rows, args.seen_rows, argtypes[15]);
    set_param(params, param_candidate_ids, args.candidate_ids, argtypes[16]);

    SPIExecuteOptions options;
    std::memset(&options, 0, sizeof options);
    options.params = params;
    options.read_only = true;
    options.dest = dest;
    const int rc = SPI_execute_plan_extended(plan, &options);
    if (rc < 0) elog(ERROR, "sync query failed: %s", SPI_result_code_string(rc));
  });
}

}  // namespace

void run_rows_query(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest) {
  if (shape.split == SplitStep::owner_keys)
    run_split_page(schema, shape, args, dest);
  else
    run_rows_step(schema, shape, args, dest);
}

void run_rows_step(Oid schema, const RowsShape &shape, const RowsArgs &args, DestReceiver *dest) {
  const Oid bound_type = shape.bound_type == BoundType::timestamp ? TIMESTAMPOID : TIMESTAMPTZOID;
  Oid argtypes[rows_param_count] = {
      UUIDOID,      TEXTARRAYOID, bound_type,   UUIDOID,      bound_type,  UUIDOID,
      INT4OID,      INT4OID,      TIMESTAMPOID, INT4OID,      FLOAT4OID,   TEXTARRAYOID,
      UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID};
  const AppRelations &relations = app_relations(schema);
  const PlanChoice choice = choose_plan(relations, shape, args);
  const int slot = query_slot(shape);
  SPIPlanPtr plan = kept_plan(
      schema, choice == PlanChoice::whole ? whole_plan_slot(slot) : slot, rows_param_count,
      argtypes, [&] { return rows_query(shape, quoted_schema_name(schema)); },
      plan_fixed_by_settings(shape) ? CURSOR_OPT_GENERIC_PLAN : 0);
  std::optional<Datum> horizon;
  if (args.horizon) horizon = TimestampGetDatum(*args.horizon);
  RowsArgs ordered = args;
  if (args.genre_ids) ordered.genre_ids = genres_most_common_first(relations, *args.genre_ids);
  const PlannerSettings saved = current_planner_settings();

  // The settings hold for this query's run only, its planning included (a
  // kept plan is made, and remade, under them).
  use_planner_settings(planner_settings_for(shape, choice, saved));
  try {
    execute_rows_plan(plan, shape, ordered, argtypes, horizon, dest);
  } catch (...) {
    use_planner_settings(saved);
    throw;
  }
  use_planner_settings(saved);
}

}  // namespace gs::backend
