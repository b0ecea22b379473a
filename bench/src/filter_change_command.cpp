// filter-change: what a filter change costs a worker that keeps its cursor.
// Per user: a full sync_pull of every table to a cursor; one genre added to
// the user's selection; then, interleaved and in alternating order, the
// catch-up from the kept cursor and a full re-sync (null cursor) of the new
// filter; then the genre removed again and the move-out from the cursor
// (the ids removed) against a full re-sync of the old filter. Each sync is
// the documented worker loop (delete `removed`, upsert `rows`, bounded by the
// first page's horizon_cursor), timed on the client from the first request
// to the last page applied. The replica a catch-up or move-out leaves must
// equal the full re-sync's rows, or the run stops with exit code 3.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"
#include "envelope_reader.hpp"
#include "stats.hpp"
#include "text_table.hpp"

namespace gs::bench {

namespace {

using Clock = std::chrono::steady_clock;

// id -> last_modified_at as the envelope writes it. Tune tombstones are
// dropped rather than kept, so a replica compares with a full re-sync,
// which leaves deleted tunes out.
using Replica = std::map<std::string, std::string>;

struct SyncRun {
  long long rows = 0, removed = 0, pages = 0, catch_up_pages = 0;
  double ms = 0;
  std::string cursor;
};

// The documented worker loop for one table, from `cursor` (empty: a first
// sync), applied to `replica`.
SyncRun sync_table(tools::PgConnection &conn, Table t, const std::string &user, int page_size,
                   const std::string &cursor, Replica &replica) {
  SyncRun run;
  run.cursor = cursor;
  const std::string limit = std::to_string(page_size);
  std::string until;
  const auto start = Clock::now();
  for (;;) {
    auto res = conn.exec(
        "SELECT sync_pull($1, $2::uuid, NULL, $3, $4::int, $5)",
        {sync_table_name(t), user.c_str(), run.cursor.empty() ? nullptr : run.cursor.c_str(),
         limit.c_str(), until.empty() ? nullptr : until.c_str()});
    Envelope page = read_envelope(res.value(0, 0));
    ++run.pages;
    if (page.catch_up) ++run.catch_up_pages;
    for (const auto &id : page.removed) replica.erase(id);
    run.removed += static_cast<long long>(page.removed.size());
    for (auto &row : page.rows) replica[row.id] = row.last_modified_at;
    if (t == Table::tunes)
      for (const auto &id : page.deleted_ids) replica.erase(id);
    run.rows += static_cast<long long>(page.rows.size());
    if (until.empty()) until = page.horizon_cursor;
    // A page that claims more but does not move would loop forever.
    if (page.has_more && page.next_cursor == run.cursor && page.rows.empty() &&
        page.removed.empty())
      throw EnvelopeError("sync_pull said has_more but did not advance past " + run.cursor);
    run.cursor = page.next_cursor;
    if (!page.has_more) break;
  }
  run.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return run;
}

// The selection change is committed; the next syncs see it once the safe
// horizon has passed the present moment (genre_sync.horizon_margin, 1 s by
// default, after the oldest running transaction's start).
void wait_for_horizon(tools::PgConnection &conn) {
  const std::string now(conn.exec("SELECT clock_timestamp() AT TIME ZONE 'UTC'").value(0, 0));
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (conn.exec("SELECT coalesce(sync_safe_horizon() > $1::timestamp, false)", {now.c_str()})
             .value(0, 0) != "t") {
    if (Clock::now() > deadline)
      throw std::runtime_error("the safe horizon did not pass " + now +
                               " within 60 s (a long transaction?)");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void check_same(const Replica &kept, const Replica &full, const std::string &what) {
  if (kept == full) return;
  long long missing = 0, extra = 0, stale = 0;
  std::string example;
  for (const auto &[id, ts] : full) {
    const auto it = kept.find(id);
    if (it == kept.end())
      ++missing;
    else if (it->second != ts)
      ++stale;
    if ((it == kept.end() || it->second != ts) && example.empty()) example = id;
  }
  for (const auto &[id, ts] : kept)
    if (!full.count(id)) {
      ++extra;
      if (example.empty()) example = id;
    }
  throw MismatchError(what + ": the replica kept by cursor differs from a full re-sync: " +
                      std::to_string(missing) + " missing, " + std::to_string(extra) + " extra, " +
                      std::to_string(stale) + " stale (e.g. " + example + ")");
}

// Per user and table, one entry per repetition.
struct Samples {
  std::vector<double> catch_up_ms, full_new_ms, move_out_ms, full_old_ms;
  std::vector<double> catch_up_rows, catch_up_pages, catch_up_removed, full_new_rows,
      full_new_pages;
  std::vector<double> move_out_removed, move_out_rows, move_out_pages, full_old_rows;
};

struct UserRun {
  BenchUser user;
  std::string genre;
  bool genre_was_in_filter = false;  // through playlists: the selection changes nothing
  std::map<Table, Samples> tables;
  Samples total;  // all tables of one sync together
};

// Removes the added selection whatever happens, so the user's filter ends as
// it began.
class SelectionGuard {
 public:
  SelectionGuard(tools::PgConnection &conn, std::string user, std::string genre)
      : conn_(conn), user_(std::move(user)), genre_(std::move(genre)) {}
  SelectionGuard(const SelectionGuard &) = delete;
  SelectionGuard &operator=(const SelectionGuard &) = delete;
  ~SelectionGuard() {
    try {
      if (added_) remove();
    } catch (const std::exception &e) {
      std::fprintf(stderr, "genre-sync-bench: could not restore the selection of %s: %s\n",
                   user_.c_str(), e.what());
    }
  }
  void add() {
    conn_.exec(
        "INSERT INTO user_genre_selection (user_id, genre_id, created_at)"
        " VALUES ($1::uuid, $2, now() AT TIME ZONE 'UTC')",
        {user_.c_str(), genre_.c_str()});
    added_ = true;
  }
  void remove() {
    conn_.exec("DELETE FROM user_genre_selection WHERE user_id = $1::uuid AND genre_id = $2",
               {user_.c_str(), genre_.c_str()});
    added_ = false;
  }

 private:
  tools::PgConnection &conn_;
  std::string user_, genre_;
  bool added_ = false;
};

std::string choose_genre(tools::PgConnection &conn, const Options &o, const BenchUser &u,
                         bool &in_filter) {
  if (!o.genre.empty()) {
    if (conn.exec("SELECT FROM user_genre_selection WHERE user_id = $1::uuid AND genre_id = $2",
                  {u.id.c_str(), o.genre.c_str()})
            .rows() > 0)
      throw std::runtime_error("--genre " + o.genre + " is already selected by " + u.id);
    in_filter = conn.exec("SELECT $2 = ANY (sync_get_effective_genres($1::uuid))",
                          {u.id.c_str(), o.genre.c_str()})
                    .value(0, 0) == "t";
    return o.genre;
  }
  // The busiest genre the user does not sync yet: the largest catch-up.
  auto res = conn.exec(
      "SELECT genre FROM tune WHERE NOT deleted AND private_for IS NULL AND genre IS NOT NULL"
      " AND NOT genre = ANY (sync_get_effective_genres($1::uuid))"
      " GROUP BY genre ORDER BY count(*) DESC, genre LIMIT 1",
      {u.id.c_str()});
  if (res.rows() == 1) {
    in_filter = false;
    return std::string(res.value(0, 0));
  }
  // Every genre is in the filter already (the all-genre user's playlists
  // cover them): a genre it has not selected measures a change that moves
  // nothing.
  res = conn.exec(
      "SELECT id FROM genre WHERE id NOT IN (SELECT genre_id FROM user_genre_selection"
      " WHERE user_id = $1::uuid) ORDER BY id LIMIT 1",
      {u.id.c_str()});
  if (res.rows() != 1) throw std::runtime_error("user " + u.id + " has selected every genre");
  in_filter = true;
  return std::string(res.value(0, 0));
}

// One cycle for one user: full sync, add, catch-up and full re-sync (in the
// given order), remove, move-out and full re-sync. A warm-up round
// (`record` false) checks the replicas but keeps no samples.
void cycle(tools::PgConnection &conn, const Options &o, UserRun &run, bool catch_up_first,
           bool record) {
  const auto tables = tables_for(o);
  std::map<Table, Replica> kept;
  std::map<Table, std::string> cursors;
  for (Table t : tables)
    cursors[t] = sync_table(conn, t, run.user.id, o.page_size, "", kept[t]).cursor;

  SelectionGuard selection(conn, run.user.id, run.genre);
  selection.add();
  wait_for_horizon(conn);
  std::map<Table, SyncRun> catch_up, full_new;
  std::map<Table, Replica> fresh;
  const auto do_catch_up = [&] {
    for (Table t : tables)
      catch_up[t] = sync_table(conn, t, run.user.id, o.page_size, cursors[t], kept[t]);
  };
  const auto do_full = [&] {
    for (Table t : tables)
      full_new[t] = sync_table(conn, t, run.user.id, o.page_size, "", fresh[t]);
  };
  if (catch_up_first) {
    do_catch_up();
    do_full();
  } else {
    do_full();
    do_catch_up();
  }
  for (Table t : tables)
    check_same(kept[t], fresh[t],
               std::string(user_kind_name(run.user.kind)) + " " + table_name(t) + " after adding " +
                   run.genre);

  selection.remove();
  wait_for_horizon(conn);
  std::map<Table, SyncRun> move_out, full_old;
  std::map<Table, Replica> fresh_old;
  for (Table t : tables) {
    move_out[t] = sync_table(conn, t, run.user.id, o.page_size, catch_up[t].cursor, kept[t]);
    full_old[t] = sync_table(conn, t, run.user.id, o.page_size, "", fresh_old[t]);
    check_same(kept[t], fresh_old[t],
               std::string(user_kind_name(run.user.kind)) + " " + table_name(t) +
                   " after removing " + run.genre);
  }
  if (!record) return;
  const auto add = [](Samples &s, const SyncRun &c, const SyncRun &f, const SyncRun &m,
                      const SyncRun &fo) {
    s.catch_up_ms.push_back(c.ms);
    s.catch_up_rows.push_back(static_cast<double>(c.rows));
    s.catch_up_pages.push_back(static_cast<double>(c.pages));
    s.catch_up_removed.push_back(static_cast<double>(c.removed));
    s.full_new_ms.push_back(f.ms);
    s.full_new_rows.push_back(static_cast<double>(f.rows));
    s.full_new_pages.push_back(static_cast<double>(f.pages));
    s.move_out_ms.push_back(m.ms);
    s.move_out_removed.push_back(static_cast<double>(m.removed));
    s.move_out_rows.push_back(static_cast<double>(m.rows));
    s.move_out_pages.push_back(static_cast<double>(m.pages));
    s.full_old_ms.push_back(fo.ms);
    s.full_old_rows.push_back(static_cast<double>(fo.rows));
  };
  SyncRun c_all, f_all, m_all, fo_all;
  const auto sum = [](SyncRun &into, const SyncRun &r) {
    into.rows += r.rows;
    into.removed += r.removed;
    into.pages += r.pages;
    into.ms += r.ms;
  };
  for (Table t : tables) {
    add(run.tables[t], catch_up[t], full_new[t], move_out[t], full_old[t]);
    sum(c_all, catch_up[t]);
    sum(f_all, full_new[t]);
    sum(m_all, move_out[t]);
    sum(fo_all, full_old[t]);
  }
  add(run.total, c_all, f_all, m_all, fo_all);
}

std::vector<std::string> row_cells(const std::string &label, const Samples &s) {
  const double c = median(s.catch_up_ms), f = median(s.full_new_ms), m = median(s.move_out_ms),
               fo = median(s.full_old_ms);
  return {label,
          fixed(median(s.catch_up_rows), 0),
          fixed(median(s.catch_up_pages), 0),
          fixed(c, 2),
          fixed(median(s.full_new_rows), 0),
          fixed(median(s.full_new_pages), 0),
          fixed(f, 2),
          fixed(c / f, 2),
          fixed(median(s.move_out_removed), 0),
          fixed(median(s.move_out_pages), 0),
          fixed(m, 2),
          fixed(fo, 2),
          fixed(m / fo, 2)};
}

void write_samples(JsonWriter &json, const Samples &s) {
  const auto series = [&](const char *name, const std::vector<double> &v) {
    json.key(name).begin_array();
    for (double x : v) json.number(x);
    json.end_array();
  };
  json.begin_object();
  json.key("catch_up_ms_median")
      .number(median(s.catch_up_ms))
      .key("full_new_ms_median")
      .number(median(s.full_new_ms))
      .key("catch_up_over_full")
      .number(median(s.catch_up_ms) / median(s.full_new_ms))
      .key("move_out_ms_median")
      .number(median(s.move_out_ms))
      .key("full_old_ms_median")
      .number(median(s.full_old_ms))
      .key("move_out_over_full")
      .number(median(s.move_out_ms) / median(s.full_old_ms));
  series("catch_up_ms", s.catch_up_ms);
  series("catch_up_rows", s.catch_up_rows);
  series("catch_up_pages", s.catch_up_pages);
  series("catch_up_removed", s.catch_up_removed);
  series("full_new_ms", s.full_new_ms);
  series("full_new_rows", s.full_new_rows);
  series("full_new_pages", s.full_new_pages);
  series("move_out_ms", s.move_out_ms);
  series("move_out_removed", s.move_out_removed);
  series("move_out_rows", s.move_out_rows);
  series("move_out_pages", s.move_out_pages);
  series("full_old_ms", s.full_old_ms);
  series("full_old_rows", s.full_old_rows);
  json.end_object();
}

}  // namespace

int run_filter_change(const Options &o) {
  auto conn = open_bench_connection(o);
  const BenchContext ctx = load_context(conn, o);
  print_context_header(o, ctx);
  const std::string margin(
      conn.exec(
              "SELECT coalesce(current_setting('genre_sync.horizon_margin', true), '1s (default)')")
          .value(0, 0));
  std::printf("horizon margin: %s (each change waits for the safe horizon to pass it)\n",
              margin.c_str());

  std::vector<UserRun> runs;
  for (const auto &u : ctx.users) {
    UserRun r;
    r.user = u;
    r.genre = choose_genre(conn, o, u, r.genre_was_in_filter);
    std::printf("user %s: adds genre %s%s\n", user_kind_name(u.kind), r.genre.c_str(),
                r.genre_was_in_filter
                    ? " (already in its filter through its playlists: nothing moves)"
                    : "");
    runs.push_back(std::move(r));
  }
  std::fflush(stdout);

  // Interleaved: every user once per round; the catch-up and the full
  // re-sync swap places every round so neither always runs on warmer caches.
  for (int round = 0; round < o.warmup + o.reps; ++round) {
    const bool record = round >= o.warmup;
    for (auto &r : runs) cycle(conn, o, r, round % 2 == 0, record);
    if (o.progress_seconds > 0)
      std::fprintf(stderr, "progress: round %d of %d done\n", round + 1, o.warmup + o.reps);
  }

  TextTable table({"user / table", "catch-up rows", "pages", "ms", "full rows", "pages", "ms",
                   "catch-up / full", "move-out removed", "pages", "ms", "full (old) ms",
                   "move-out / full"});
  for (const auto &r : runs) {
    const std::string user = user_kind_name(r.user.kind);
    for (Table t : tables_for(o))
      table.add_row(row_cells(user + " " + table_name(t), r.tables.at(t)));
    table.add_row(row_cells(user + " all tables", r.total));
  }
  std::printf(
      "\nfilter change: catch-up from the cursor vs full re-sync of the new filter, then move-out;"
      " medians of %d repetitions, ms\n%s",
      o.reps, table.render().c_str());

  if (!o.json_path.empty()) {
    JsonWriter json;
    json.begin_object();
    write_context_json(json, o, ctx);
    json.key("horizon_margin").string(margin);
    json.key("filter_change").begin_array();
    for (const auto &r : runs) {
      json.begin_object()
          .key("user")
          .string(user_kind_name(r.user.kind))
          .key("genre")
          .string(r.genre)
          .key("genre_was_in_filter")
          .boolean(r.genre_was_in_filter);
      json.key("tables").begin_object();
      for (const auto &[t, s] : r.tables) {
        json.key(table_name(t));
        write_samples(json, s);
      }
      json.end_object();
      json.key("all_tables");
      write_samples(json, r.total);
      json.end_object();
    }
    json.end_array();
    json.end_object();
    write_file(o.json_path, json.str() + "\n");
  }
  return 0;
}

}  // namespace gs::bench
