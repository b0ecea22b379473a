// The convergence test: writers update and insert rows a user syncs, in short
// and long transactions, while a worker-like client pulls with sync_pull and
// then syncs incrementally. When the writers are done and the client finds
// nothing new, its replica must equal the server's filtered set (ids and
// timestamps): no row lost, none delivered twice within one pull.
//
//   genre-sync-convergence PATTERN SEED SECONDS   (libpq environment: PGHOST...)
//
// PATTERN: updates | inserts | mixed. Every pattern also holds one long
// transaction that stamps rows before the initial pull and commits after it.
// The database must hold the app schema with data, the extension and the
// seed's reference functions (bench/sql/seed_rpcs.sql).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/connection_options.hpp"
#include "common/pg_connection.hpp"
#include "rng.hpp"

namespace {

using gs::convergence::Rng;
using gs::tools::PgConnection;
using gs::tools::PgResult;
using Clock = std::chrono::steady_clock;
constexpr const char *user_id = "7668f673-d566-9995-175e-f91b5d171945";  // md5('user8')
const char *const tables[] = {"note", "reference"};

// A connection from the libpq environment (PGHOST...).
PgConnection connect() { return PgConnection::open({}, "genre-sync-convergence"); }

// Text value; empty for NULL.
std::string value(const PgResult &r, int row, int col) { return std::string(r.value(row, col)); }

// Rows are stamped by the database, as the horizon assumes.
const std::string stamp = "now() AT TIME ZONE 'UTC'";

// One write of a pattern, on a row of `table` the user syncs.
void write_once(PgConnection &c, Rng &rng, const std::string &pattern, const char *table) {
  const bool insert = pattern == "inserts" || (pattern == "mixed" && rng.below(2) == 0);
  const std::string pick_tune =
      "(SELECT id FROM tune WHERE NOT deleted AND genre = ANY (sync_get_effective_genres('" +
      std::string(user_id) + "')) AND private_for IS NULL ORDER BY id OFFSET " +
      std::to_string(rng.below(50)) + " LIMIT 1)";
  if (insert) {
    const std::string columns = std::string(table) == "reference"
                                    ? "id, url, tune_ref, last_modified_at"
                                    : "id, tune_ref, last_modified_at";
    const std::string url = std::string(table) == "reference" ? "'https://example.org', " : "";
    c.exec("INSERT INTO " + std::string(table) + " (" + columns +
           ") VALUES (md5(random()::text)::uuid, " + url + pick_tune + ", " + stamp + ")");
  } else {
    c.exec("UPDATE " + std::string(table) + " SET last_modified_at = " + stamp +
           ", sync_version = sync_version + 1 WHERE id = (SELECT r.id FROM " + table +
           " r JOIN tune t ON t.id = r.tune_ref WHERE NOT t.deleted AND t.private_for IS NULL"
           " AND (r.user_ref IS NULL OR r.user_ref = '" +
           user_id + "') ORDER BY r.id OFFSET " + std::to_string(rng.below(200)) + " LIMIT 1)");
  }
}

void writer(std::uint64_t seed, const std::string &pattern, std::atomic<bool> &stop,
            std::atomic<int> &errors) {
  try {
    PgConnection c = connect();
    Rng rng{seed};
    while (!stop) {
      // Transactions of several statements that sleep before committing:
      // their rows carry the start time and become visible much later.
      c.exec("BEGIN");
      for (int i = rng.below(3); i >= 0; --i) write_once(c, rng, pattern, tables[rng.below(2)]);
      // Some outlast the horizon's margin (1 s by default).
      if (pattern == "mixed")
        c.exec("SELECT pg_sleep(" +
               std::to_string(rng.below(8) == 0 ? 1.5 : rng.below(80) / 1000.0) + ")");
      c.exec("COMMIT");
      std::this_thread::sleep_for(std::chrono::milliseconds(rng.below(15)));
    }
  } catch (const std::exception &e) {
    std::fprintf(stderr, "writer: %s\n", e.what());
    ++errors;
  }
}

struct Replica {
  std::map<std::string, std::string> rows;  // id -> last_modified_at (JSON text)
  std::string cursor[2];
};

// One pull of a table: pages from the stored cursor until has_more is false,
// bounded by the first page's horizon cursor. Returns the rows delivered;
// fails if a row comes twice within it.
int pull(PgConnection &c, Replica &replica, int table_index, int page_size) {
  const std::string sql =
      "SELECT e->>'next_cursor', e->>'has_more', e->>'horizon_cursor', r->>'id',"
      " r->>'last_modified_at' FROM sync_pull($1, $2, NULL, $3, $4, $5) e"
      " LEFT JOIN LATERAL json_array_elements(e->'rows') r ON true";
  const std::string size = std::to_string(page_size);
  std::string until;
  std::set<std::string> seen;
  int delivered = 0;
  for (;;) {
    std::string &cursor = replica.cursor[table_index];
    const PgResult r =
        c.exec(sql, {tables[table_index], user_id, cursor.empty() ? nullptr : cursor.c_str(),
                     size.c_str(), until.empty() ? nullptr : until.c_str()});
    for (int i = 0; i < r.rows(); ++i) {
      const std::string id = value(r, i, 3);
      if (id.empty()) continue;
      if (!seen.insert(id).second)
        throw std::runtime_error("row " + id + " delivered twice in one pull");
      replica.rows[std::string(tables[table_index]) + ":" + id] = value(r, i, 4);
      ++delivered;
    }
    if (until.empty()) until = value(r, 0, 2);
    cursor = value(r, 0, 0);
    if (value(r, 0, 1) != "t") return delivered;
  }
}

std::map<std::string, std::string> server_set(PgConnection &c) {
  std::map<std::string, std::string> rows;
  for (const char *table : tables) {
    const std::string fn = std::string("seed.sync_get_user_") +
                           (std::string(table) == "note" ? "notes" : "references");
    const PgResult r =
        c.exec("SELECT id, to_jsonb(last_modified_at) #>> '{}' FROM " + fn + "('" + user_id +
               "', seed.effective_genres('" + user_id + "'), NULL, 100000000, 0)");
    for (int i = 0; i < r.rows(); ++i)
      rows[std::string(table) + ":" + value(r, i, 0)] = value(r, i, 1);
  }
  return rows;
}

int run(const std::string &pattern, std::uint64_t seed, int seconds) {
  PgConnection client = connect(), long_txn = connect();
  // The long transaction stamps rows before the initial pull starts and
  // commits only after that pull has finished.
  long_txn.exec("BEGIN");
  Rng long_rng{seed ^ 0xabcdef};
  for (int i = 0; i < 5; ++i) write_once(long_txn, long_rng, "mixed", tables[i % 2]);

  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w)
    writers.emplace_back(writer, seed * 7919 + static_cast<std::uint64_t>(w), pattern,
                         std::ref(stop), std::ref(errors));

  Replica replica;
  int pulls = 0, delivered = 0;
  // Incremental syncs go on for longer than the margin before it commits.
  const auto long_txn_end = Clock::now() + std::chrono::milliseconds(3000);
  while (Clock::now() < long_txn_end) {
    for (int t = 0; t < 2; ++t) delivered += pull(client, replica, t, 50);
    ++pulls;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  long_txn.exec("COMMIT");

  const auto writers_end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < writers_end) {
    for (int t = 0; t < 2; ++t) delivered += pull(client, replica, t, 50);
    ++pulls;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  for (auto &w : writers) w.join();

  // Sync until nothing is new for longer than the horizon's margin.
  auto quiet_since = Clock::now();
  while (Clock::now() - quiet_since < std::chrono::milliseconds(2500)) {
    int got = 0;
    for (int t = 0; t < 2; ++t) got += pull(client, replica, t, 50);
    delivered += got;
    ++pulls;
    if (got > 0) quiet_since = Clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }

  const auto truth = server_set(client);
  int lost = 0, stale = 0, extra = 0;
  for (const auto &[key, ts] : truth) {
    auto it = replica.rows.find(key);
    if (it == replica.rows.end())
      ++lost;
    else if (it->second != ts)
      ++stale;
  }
  for (const auto &[key, ts] : replica.rows)
    if (!truth.count(key)) ++extra;
  std::printf(
      "convergence %s seed %llu: %d pulls, %d rows delivered, server %zu rows, replica %zu rows,"
      " lost %d, stale %d, extra %d, writer errors %d\n",
      pattern.c_str(), static_cast<unsigned long long>(seed), pulls, delivered, truth.size(),
      replica.rows.size(), lost, stale, extra, errors.load());
  return lost == 0 && stale == 0 && extra == 0 && errors == 0 && truth.size() > 100 ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s updates|inserts|mixed SEED SECONDS\n", argv[0]);
    return 2;
  }
  try {
    return run(argv[1], std::strtoull(argv[2], nullptr, 10), std::atoi(argv[3]));
  } catch (const std::exception &e) {
    std::fprintf(stderr, "convergence: %s\n", e.what());
    return 1;
  }
}
