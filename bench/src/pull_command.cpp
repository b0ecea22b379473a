#include <cstdio>

#include "bench_context.hpp"
#include "commands.hpp"
#include "comparison.hpp"

namespace gs::bench {

int run_pull(const Options& o) {
    auto conn = open_bench_connection(o);
    const BenchContext ctx = load_context(conn, o);
    print_context_header(o, ctx);
    std::fflush(stdout);

    std::vector<Comparison> comparisons;
    for (const auto& user : ctx.users)
        for (Table t : tables_for(o)) {
            Comparison c{std::string(user_kind_name(user.kind)) + " " + table_name(t), &user, t, std::nullopt, {}};
            for (Method m : methods_for(t)) c.methods.push_back({m, {}});
            comparisons.push_back(std::move(c));
        }

    ProgressReporter progress(o.progress_seconds);
    run_interleaved(conn, comparisons, o.warmup, o.reps, o.page_size, progress);

    if (!o.brief)
        for (const auto& c : comparisons) print_comparison(c);
    print_headline("full pull, median ms (speedup = seed / ours)", comparisons);

    if (!o.json_path.empty()) {
        JsonWriter json;
        json.begin_object();
        write_context_json(json, o, ctx);
        json.key("results").begin_array();
        for (const auto& c : comparisons) write_comparison_json(json, c);
        json.end_array().end_object();
        write_file(o.json_path, json.str() + "\n");
    }
    return 0;
}

}  // namespace gs::bench
