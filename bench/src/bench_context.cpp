#include "bench_context.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

namespace gs::bench {

namespace {
// genre-sync-datagen names its two special users in user_profile.name.
const char *user_profile_name(UserKind k) {
  return k == UserKind::two_genre ? "two-genre-user" : "all-genre-user";
}

BenchUser load_user(tools::PgConnection &conn, UserKind kind, const Options &o) {
  BenchUser u{kind, kind == UserKind::two_genre ? o.two_genre_user_id : o.all_genre_user_id, {}, 0};
  if (u.id.empty()) {
    auto res = conn.exec("SELECT id FROM user_profile WHERE name = $1", {user_profile_name(kind)});
    if (res.rows() != 1)
      throw std::runtime_error(std::string("expected one user_profile named ") +
                               user_profile_name(kind) + ", found " + std::to_string(res.rows()) +
                               " (generate the data with genre-sync-datagen, or pass --" +
                               user_kind_name(kind) + "-user)");
    u.id = res.value(0, 0);
  }
  // The seed's own pre-sync computes the genre list the seed's RPCs get;
  // every method receives that same list.
  auto g = conn.exec("SELECT g::text, cardinality(g) FROM seed.effective_genres($1::uuid) AS g",
                     {u.id.c_str()});
  u.genres = g.value(0, 0);
  u.genre_count = std::stoi(std::string(g.value(0, 1)));
  return u;
}
}  // namespace

tools::PgConnection open_bench_connection(const Options &o) {
  auto conn = tools::PgConnection::open(o.connection, "genre-sync-bench");
  conn.exec("SET TimeZone = 'UTC'");
  return conn;
}

BenchContext load_context(tools::PgConnection &conn, const Options &o) {
  BenchContext ctx;
  ctx.tunes = std::stoll(std::string(conn.exec("SELECT count(*) FROM tune").value(0, 0)));
  if (o.scale) {
    ctx.scale = *o.scale;
  } else {
    ctx.scale = std::max(
        1, static_cast<int>(std::lround(static_cast<double>(ctx.tunes) / kTunesAtScaleOne)));
    ctx.scale_inferred = true;
  }
  ctx.timezone = conn.exec("SHOW TimeZone").value(0, 0);

  auto idx = conn.exec(
      "SELECT c.relname, string_agg(i.relname, ', ' ORDER BY i.relname) "
      "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = "
      "x.indrelid "
      "WHERE c.relname IN ('note', 'reference', 'tune', 'playlist_tune', 'user_genre_selection') "
      "AND c.relnamespace = 'public'::regnamespace GROUP BY c.relname ORDER BY c.relname");
  for (int r = 0; r < idx.rows(); ++r)
    ctx.indexes.push_back(std::string(idx.value(r, 0)) + ": " + std::string(idx.value(r, 1)));

  ctx.key_index =
      std::string(
          conn.exec("SELECT count(*) = 9 FROM pg_trigger WHERE tgname LIKE 'genre_sync_key_index%' "
                    "AND tgenabled = 'A'")
              .value(0, 0)) == "t";

  for (UserKind k : users_for(o)) ctx.users.push_back(load_user(conn, k, o));
  return ctx;
}

void print_context_header(const Options &o, const BenchContext &ctx) {
  std::printf("genre-sync-bench %s\n", command_name(o.command));
  std::printf("scale factor: %d%s (%lld tunes)\n", ctx.scale,
              ctx.scale_inferred ? " (inferred)" : "", ctx.tunes);
  std::printf("page size: %d\n", o.page_size);
  std::printf(
      "repetitions: %d, interleaved, after %d untimed warm-up round(s); times are medians\n",
      o.reps, o.warmup);
  std::printf("session TimeZone: %s\n", ctx.timezone.c_str());
  std::printf("indexes present:\n");
  for (const auto &line : ctx.indexes) std::printf("  %s\n", line.c_str());
  std::printf("key index (sync_enable_key_index): %s\n", ctx.key_index ? "on" : "off");
  for (const auto &u : ctx.users)
    std::printf("user %s: %s, %d effective genres\n", user_kind_name(u.kind), u.id.c_str(),
                u.genre_count);
}

void write_context_json(JsonWriter &json, const Options &o, const BenchContext &ctx) {
  json.key("command")
      .string(command_name(o.command))
      .key("scale")
      .integer(ctx.scale)
      .key("scale_inferred")
      .boolean(ctx.scale_inferred)
      .key("tunes")
      .integer(ctx.tunes)
      .key("key_index")
      .boolean(ctx.key_index)
      .key("page_size")
      .integer(o.page_size)
      .key("reps")
      .integer(o.reps)
      .key("warmup")
      .integer(o.warmup)
      .key("timezone")
      .string(ctx.timezone);
  json.key("indexes").begin_array();
  for (const auto &line : ctx.indexes) json.string(line);
  json.end_array();
  json.key("users").begin_array();
  for (const auto &u : ctx.users)
    json.begin_object()
        .key("kind")
        .string(user_kind_name(u.kind))
        .key("id")
        .string(u.id)
        .key("genres")
        .string(u.genres)
        .key("genre_count")
        .integer(u.genre_count)
        .end_object();
  json.end_array();
}

void write_file(const std::string &path, const std::string &content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace gs::bench
