// How a rows query is planned for this call, and the planner settings it
// runs under (docs/design.md, "Plans per call").
#pragma once

#include "backend/pg.hpp"
#include "backend/relation_facts.hpp"
#include "backend/rows_query.hpp"
#include "core/sync_query.hpp"

namespace gs::backend {

// Whether the shape's plan is fixed by its planner settings (below): a key
// index access of a page, an envelope or a drop-in. Its one generic plan is
// then as good as a custom plan for any parameter values, and planning per
// call (a third of an empty incremental call's cost) buys nothing.
bool plan_fixed_by_settings(const RowsShape &shape);

enum class PlanChoice {
  automatic,  // the plan cache's own choice: bounds, checksums, changes
  kept,       // the shape's one generic plan, fixed by its settings (key index)
  by_time,    // the app tables walked in key order: one generic plan
  whole,      // small app tables read whole, hash-joined and sorted: one generic
              // plan, kept beside the walk's (whole_plan_slot in plan_cache.hpp)
  custom,     // planned for this call's arguments
};

// Whether `genres` (a text[]) hold at least half of all tunes, by tune.genre's
// statistics: such a user finds a page's rows within the next few in key
// order. PostgreSQL calls inside.
bool genres_hold_most_tunes(const AppRelations &relations, Datum genres);

// The same text[] with the genres most common among tunes first (only the
// order changes; every use of the array is `= ANY` or one stream per
// element), palloc'd, or `genres` itself without statistics: a kept plan
// compares each row's genre with them in turn (plan_choice.cpp says more).
// PostgreSQL calls inside.
Datum genres_most_common_first(const AppRelations &relations, Datum genres);

// The choice for a page, envelope or drop-in over the app tables: a user
// whose genres hold most of the catalogue (tune.genre's statistics) finds a
// page's rows within the next few in key order, so the ordered walk that
// stops at LIMIT is right at every position and is kept, as it is for a page
// so small that the walk reads only a few hundred rows; a user of few genres
// asking for more needs a plan for this call's genres and position, as the
// plain SQL peer gets, unless its cursor lies so near the table's newest
// rows (pg_statistic's histogram of last_modified_at) that the walk reads
// only those few. Where the walk would read at least half of a small table
// (a page of a few thousand rows holds most of it), both give way to one
// read of the tables whole: a hash join and a sort, planned once.
// PostgreSQL calls inside.
PlanChoice choose_plan(const AppRelations &relations, const RowsShape &shape, const RowsArgs &args);

// The planner's settings that matter here, as plain values: set for the
// query's run and restored after it, also when it fails. They are assigned
// directly, not through the GUC machinery: a GUC nest level per call cost
// more than the settings are worth.
struct PlannerSettings {
  bool hashjoin, mergejoin, nestloop, sort, incremental_sort, indexscan, jit;
  int parallel_workers;
  int cache_mode;
};
PlannerSettings current_planner_settings();
// The settings for a choice, starting from `now`: the ordered walk (no hash
// join, no sort, no parallel gather, no JIT, and only the join that keeps
// the order), the whole read (a hash join, no parallel gather, no JIT), or
// the plan cache mode of a custom plan.
PlannerSettings planner_settings_for(const RowsShape &shape, PlanChoice choice,
                                     PlannerSettings now);
void use_planner_settings(const PlannerSettings &settings);

}  // namespace gs::backend
