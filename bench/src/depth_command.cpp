#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"
#include "result_keys.hpp"
#include "stats.hpp"
#include "svg_plot.hpp"
#include "text_table.hpp"

namespace gs::bench {

namespace {
const Method kDepthMethods[] = {Method::seed_offset, Method::ours_offset, Method::peer_keyset,
                                Method::ours_keyset};

const char *csv_column(Method m) {
  switch (m) {
    case Method::seed_offset: return "seed_offset_ms";
    case Method::ours_offset: return "ours_offset_ms";
    case Method::peer_keyset: return "peer_keyset_ms";
    case Method::ours_keyset: return "ours_keyset_ms";
    case Method::copy_floor:
    case Method::ours_page_json:
    case Method::ours_envelope: break;
  }
  return "?";
}

// About `points` page numbers spread evenly over 0..pages-1, both ends included.
std::vector<long long> sample_pages(long long pages, int points) {
  std::vector<long long> ks;
  for (int i = 0; i < points; ++i) {
    const long long k =
        pages <= 1 ? 0 : std::llround(static_cast<double>(i) * (pages - 1) / (points - 1));
    if (ks.empty() || ks.back() != k) ks.push_back(k);
  }
  return ks;
}

struct DepthCurve {
  std::string name;  // "all-genre_references"
  std::string label;
  long long rows = 0;
  std::vector<long long> pages;
  std::vector<Method> methods;
  std::map<Method, std::vector<std::vector<double>>> samples;  // method -> per page -> ms per rep

  double median_ms(Method m, std::size_t i) const { return median(samples.at(m)[i]); }
};

DepthCurve measure(tools::PgConnection &conn, const BenchUser &user, Table t, const Options &o,
                   ProgressReporter &progress) {
  DepthCurve curve;
  curve.name = std::string(user_kind_name(user.kind)) + "_" + table_name(t);
  curve.label = std::string(user_kind_name(user.kind)) + " " + table_name(t);
  const auto keys = result_keys(conn, t, user, false);
  curve.rows = static_cast<long long>(keys.size());
  const long long ps = o.page_size;
  curve.pages = sample_pages((curve.rows + ps - 1) / ps, o.points);
  for (Method m : kDepthMethods)
    if (method_applies(m, t)) {
      curve.methods.push_back(m);
      curve.samples[m].resize(curve.pages.size());
    }

  for (int round = 0; round < o.warmup + o.reps; ++round)
    for (std::size_t i = 0; i < curve.pages.size(); ++i) {
      const long long first = curve.pages[i] * ps;
      const long long expected_rows = std::min(ps, curve.rows - first);
      IdDigest expected;
      for (long long r = first; r < first + expected_rows; ++r)
        expected.add(keys[static_cast<std::size_t>(r)].id);
      for (Method m : curve.methods) {
        std::optional<std::string> after_ts, after_id;
        if (paging_of(m) == Paging::keyset && first > 0) {
          after_ts = keys[static_cast<std::size_t>(first - 1)].timestamp;
          after_id = keys[static_cast<std::size_t>(first - 1)].id;
        }
        IdDigest got;
        const PageFetch page =
            fetch_page(conn, m, t, user, o.page_size, after_ts, after_id, first, got);
        if (page.rows != expected_rows || got.value() != expected.value())
          throw MismatchError(curve.label + ", page " + std::to_string(curve.pages[i]) + ": " +
                              method_name(m) + " returned " + std::to_string(page.rows) +
                              " rows, expected " + std::to_string(expected_rows) +
                              (page.rows == expected_rows ? " (same count, different rows)" : ""));
        if (round < o.warmup) continue;
        curve.samples[m][i].push_back(page.ms);
        progress.record(page.ms);
      }
    }
  return curve;
}

std::string curve_csv(const DepthCurve &c, int page_size) {
  std::string csv = "k,offset";
  for (Method m : c.methods) csv += std::string(",") + csv_column(m);
  csv += "\n";
  for (std::size_t i = 0; i < c.pages.size(); ++i) {
    csv += std::to_string(c.pages[i]) + "," + std::to_string(c.pages[i] * page_size);
    for (Method m : c.methods) csv += "," + fixed(c.median_ms(m, i), 4);
    csv += "\n";
  }
  return csv;
}

std::string curve_svg(const DepthCurve &c, const BenchContext &ctx, int page_size) {
  LinePlot plot;
  plot.title = "Latency of page k, " + c.label + " (" + std::to_string(c.rows) + " rows, scale " +
               std::to_string(ctx.scale) + ", page size " + std::to_string(page_size) + ")";
  plot.x_label = "page k (offset = k * " + std::to_string(page_size) + ")";
  plot.y_label = "median ms per page";
  for (Method m : c.methods) {
    Series s{method_name(m), {}};
    for (std::size_t i = 0; i < c.pages.size(); ++i)
      s.points.push_back({static_cast<double>(c.pages[i]), c.median_ms(m, i)});
    plot.series.push_back(std::move(s));
  }
  return render_svg(plot);
}

void print_curve(const DepthCurve &c) {
  std::printf("\n%s: %lld rows, median ms per page\n", c.label.c_str(), c.rows);
  std::vector<std::string> headers = {"page k"};
  for (Method m : c.methods) headers.push_back(method_name(m));
  TextTable t(headers);
  for (std::size_t i = 0; i < c.pages.size(); ++i) {
    std::vector<std::string> row = {std::to_string(c.pages[i])};
    for (Method m : c.methods) row.push_back(fixed(c.median_ms(m, i), 3));
    t.add_row(row);
  }
  if (c.pages.size() > 1) {
    std::vector<std::string> row = {"last / first"};
    for (Method m : c.methods)
      row.push_back(fixed(c.median_ms(m, c.pages.size() - 1) / c.median_ms(m, 0), 2));
    t.add_row(row);
  }
  std::fputs(t.render().c_str(), stdout);
}
}  // namespace

int run_depth(const Options &o) {
  auto conn = open_bench_connection(o);
  const BenchContext ctx = load_context(conn, o);
  print_context_header(o, ctx);
  std::fflush(stdout);
  std::filesystem::create_directories(o.out_dir);

  ProgressReporter progress(o.progress_seconds);
  std::vector<DepthCurve> curves;
  for (const auto &user : ctx.users)
    for (Table t : tables_for(o)) curves.push_back(measure(conn, user, t, o, progress));

  for (const auto &c : curves) {
    print_curve(c);
    const std::string base = (std::filesystem::path(o.out_dir) / ("depth_" + c.name)).string();
    write_file(base + ".csv", curve_csv(c, o.page_size));
    write_file(base + ".svg", curve_svg(c, ctx, o.page_size));
    std::printf("wrote %s.csv and %s.svg\n", base.c_str(), base.c_str());
  }

  if (!o.json_path.empty()) {
    JsonWriter json;
    json.begin_object();
    write_context_json(json, o, ctx);
    json.key("curves").begin_array();
    for (const auto &c : curves) {
      json.begin_object().key("name").string(c.name).key("rows").integer(c.rows);
      json.key("points").begin_array();
      for (std::size_t i = 0; i < c.pages.size(); ++i) {
        json.begin_object().key("k").integer(c.pages[i]);
        for (Method m : c.methods) json.key(csv_column(m)).number(c.median_ms(m, i));
        json.end_object();
      }
      json.end_array().end_object();
    }
    json.end_array().end_object();
    write_file(o.json_path, json.str() + "\n");
  }
  return 0;
}

}  // namespace gs::bench
