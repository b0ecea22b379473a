#pragma once
// The per-call cost: what a call costs when it returns nothing (an empty
// incremental call) or ten rows (the last page of an incremental pull),
// against the floor for a call, a plain SELECT of the same rows by the same
// (last_modified_at, id) index sent the same way (each a prepared statement,
// text parameters, one round trip).
#include <array>
#include <string>
#include <vector>

#include "page_fetch.hpp"

namespace gs::bench {

enum class CallKind { empty, ten_rows };
enum class CallMethod { plain_select, page_function, sync_pull };
inline constexpr std::array<CallMethod, 3> kCallMethods = {
    CallMethod::plain_select, CallMethod::page_function, CallMethod::sync_pull};

const char *call_kind_name(CallKind k);
const char *call_method_name(CallMethod m);

// Where the calls start, found once per user and table, untimed: the keys for
// the page function and the SELECT, and sync_pull's cursors, reached by
// walking sync_pull to the end (its cursors are opaque).
struct CallPositions {
  bool usable = false;  // the user has at least 11 rows in the table
  Cursor last, eleventh_last;
  std::string pull_end_cursor, pull_ten_cursor;
};

CallPositions find_call_positions(tools::PgConnection &conn, Table t, const BenchUser &user);

struct CallCost {
  const BenchUser *user = nullptr;
  Table table = Table::notes;
  CallKind kind = CallKind::empty;
  std::array<std::vector<double>, 3> ms;  // per CallMethod, one per call
  std::array<long long, 3> rows{};        // rows the last call returned

  double median_ms(CallMethod m) const;
};

// One untimed round, then `calls` rounds of one call per method in turn.
// The empty call asks for page_size rows, the ten-row page for 10.
CallCost measure_call_cost(tools::PgConnection &conn, const CallPositions &pos, Table t,
                           const BenchUser &user, CallKind kind, int page_size, int calls);

}  // namespace gs::bench
