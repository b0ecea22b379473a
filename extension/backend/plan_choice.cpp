#include "backend/plan_choice.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include "catalog/pg_statistic.h"
#include "jit/jit.h"
#include "optimizer/cost.h"
#include "utils/plancache.h"
#include "utils/syscache.h"
}

#include "backend/fence.hpp"
#include "backend/relation_facts.hpp"

namespace gs::backend {

namespace {

// A user whose genres hold at least this share of all tunes reads at most
// about twice a page's rows in key order to fill a page.
constexpr double by_time_min_share = 0.5;
// A page so small that the walk reads at most about this many rows costs
// less than planning it (a 10-row page of a 2-genre user reads some 125).
constexpr double by_time_max_walk = 500;
// A walk that would read at least this share of the paged table reads it
// better whole: a hash join and a sort cost less than probing a tune and
// visiting a heap page per row in key order (at scale 1 a 1000-row page of
// the all-genre user's notes holds 931 of 1,500 notes: 4.5 ms walked, under
// 3 planned whole).
constexpr double whole_min_share_of_table = 0.5;
// Only over tables this small (the paged table and tune) is the whole read
// kept as one generic plan: there planning costs as much as running, and
// the plan's shape is fixed by its settings; past it a plan for the call's
// own arguments is worth its planning.
constexpr double whole_max_rows = 50000;

bool same_text(const text *a, const text *b) {
  const int length = VARSIZE_ANY_EXHDR(a);
  return length == static_cast<int>(VARSIZE_ANY_EXHDR(b)) &&
         std::memcmp(VARDATA_ANY(a), VARDATA_ANY(b), length) == 0;
}

// What tune.genre's statistics say of `genres`.
struct GenreFacts {
  // The share of tunes whose genre is one of them, from the most common
  // values of tune.genre (the catalogue's genres are few; ANALYZE keeps them
  // all); a genre missing from the list counts nothing. -1 without
  // statistics.
  double share;
  // The same array, most common genre first (NULLs and genres the
  // statistics do not list last, in their order), palloc'd; or nullptr
  // without statistics. A kept plan's `genre = ANY ($2)` compares each
  // row's genre with the elements in turn until one matches (only a
  // constant array is hashed), so for a user of many genres the order is
  // the cost: 25 genres walked by 50,000 tunes, 18 ms alphabetical, 13 most
  // common first.
  ArrayType *by_frequency;
  // pg_class.reltuples of tune: -1 if never counted.
  double tune_rows;
};

// PostgreSQL calls: runs inside guarded().
GenreFacts genre_facts(Oid tune_relid, Datum genres) {
  GenreFacts facts{-1, nullptr, class_reltuples(tune_relid).value_or(-1)};
  const AttrNumber attnum = get_attnum(tune_relid, "genre");
  if (attnum == InvalidAttrNumber) return facts;
  HeapTuple stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(tune_relid),
                                    Int16GetDatum(attnum), BoolGetDatum(false));
  if (!HeapTupleIsValid(stats)) return facts;
  AttStatsSlot mcv;
  if (get_attstatsslot(&mcv, stats, STATISTIC_KIND_MCV, InvalidOid,
                       ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS)) {
    Datum *elements = nullptr;
    bool *nulls = nullptr;
    int count = 0;
    deconstruct_array(DatumGetArrayTypeP(genres), TEXTOID, -1, false, TYPALIGN_INT, &elements,
                      &nulls, &count);
    // Each element's frequency among the common values (0 if none).
    float4 *frequency = static_cast<float4 *>(palloc0(sizeof(float4) * (count + 1)));
    facts.share = 0;
    // Each common value counts once, however often the array names it.
    for (int i = 0; i < mcv.nvalues; ++i) {
      const text *value = DatumGetTextPP(mcv.values[i]);
      bool counted = false;
      for (int j = 0; j < count; ++j)
        if (!nulls[j] && same_text(value, DatumGetTextPP(elements[j]))) {
          if (!counted) facts.share += mcv.numbers[i];
          counted = true;
          frequency[j] = mcv.numbers[i];
        }
    }
    free_attstatsslot(&mcv);
    // A stable insertion sort, most common first: the arrays are short.
    for (int j = 1; j < count; ++j) {
      const Datum element = elements[j];
      const bool null = nulls[j];
      const float4 f = frequency[j];
      int k = j;
      for (; k > 0 && frequency[k - 1] < f; --k) {
        elements[k] = elements[k - 1];
        nulls[k] = nulls[k - 1];
        frequency[k] = frequency[k - 1];
      }
      elements[k] = element;
      nulls[k] = null;
      frequency[k] = f;
    }
    int dims[1] = {count};
    int lower_bounds[1] = {1};
    facts.by_frequency = count == 0 ? construct_empty_array(TEXTOID)
                                    : construct_md_array(elements, nulls, 1, dims, lower_bounds,
                                                         TEXTOID, -1, false, TYPALIGN_INT);
  }
  ReleaseSysCache(stats);
  return facts;
}

// A genres argument of tune: the text[]'s bytes.
struct GenresKey {
  Oid tune_relid;
  std::string_view bytes;
};
struct KeptGenresKey {
  Oid tune_relid = InvalidOid;
  std::string bytes;
  bool operator==(const GenresKey &key) const {
    return tune_relid == key.tune_relid && bytes == key.bytes;
  }
  KeptGenresKey &operator=(const GenresKey &key) {
    tune_relid = key.tune_relid;
    bytes.assign(key.bytes);
    return *this;
  }
};
// The last genres' facts (a worker asks with the same genres call after
// call), until new statistics.
struct LastGenres {
  bool read = false;
  double share = -1;
  std::string by_frequency;  // its bytes, empty without statistics
  double tune_rows = -1;
};
GenerationFacts<KeptGenresKey, LastGenres> last_genres;

const LastGenres &cached_genre_facts(Oid tune_relid, Datum genres) {
  const char *bytes = nullptr;
  std::size_t length = 0;
  guarded([&] {
    const ArrayType *array = DatumGetArrayTypeP(genres);
    bytes = reinterpret_cast<const char *>(array);
    length = VARSIZE(array);
  });
  LastGenres &kept = last_genres.get(GenresKey{tune_relid, std::string_view(bytes, length)});
  if (kept.read) return kept;
  GenreFacts facts{-1, nullptr, -1};
  guarded([&] { facts = genre_facts(tune_relid, genres); });
  kept.share = facts.share;
  kept.tune_rows = facts.tune_rows;
  if (facts.by_frequency != nullptr)
    kept.by_frequency.assign(reinterpret_cast<const char *>(facts.by_frequency),
                             VARSIZE(facts.by_frequency));
  kept.read = true;
  return kept;
}

// The paged table's last_modified_at histogram and row count, until new
// statistics.
struct TableTimes {
  bool read = false;
  std::vector<Timestamp> bounds;  // empty without statistics
  double rows = -1;
};
// One per table: a worker pulls notes, references and tunes in turn.
GenerationFacts<Oid, TableTimes> table_times[3];

// Reads them. PostgreSQL calls: runs inside guarded().
void read_table_times(Oid relid, TableTimes &times) {
  times.bounds.clear();
  times.rows = class_reltuples(relid).value_or(-1);
  const AttrNumber attnum = get_attnum(relid, "last_modified_at");
  if (attnum == InvalidAttrNumber || get_atttype(relid, attnum) != TIMESTAMPOID) return;
  HeapTuple stats = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid), Int16GetDatum(attnum),
                                    BoolGetDatum(false));
  if (!HeapTupleIsValid(stats)) return;
  AttStatsSlot histogram;
  if (get_attstatsslot(&histogram, stats, STATISTIC_KIND_HISTOGRAM, InvalidOid,
                       ATTSTATSSLOT_VALUES)) {
    times.bounds.reserve(histogram.nvalues);
    for (int i = 0; i < histogram.nvalues; ++i)
      times.bounds.push_back(DatumGetTimestamp(histogram.values[i]));
    free_attstatsslot(&histogram);
  }
  ReleaseSysCache(stats);
}

const TableTimes &cached_table_times(SyncTable table, Oid relid) {
  TableTimes &times = table_times[static_cast<int>(table)].get(relid);
  if (!times.read) {
    guarded([&] { read_table_times(relid, times); });
    times.read = true;
  }
  return times;
}

// About how many of the table's rows lie after `after` in key order, from
// the histogram of last_modified_at (linear within a bucket, as the planner
// reads it); rows stamped since the last ANALYZE count nothing. -1 without
// statistics.
double rows_after(const TableTimes &times, Timestamp after) {
  const std::vector<Timestamp> &bounds = times.bounds;
  if (bounds.size() < 2 || times.rows < 0) return -1;
  if (after >= bounds.back()) return 0;
  if (after < bounds.front()) return times.rows;
  std::size_t i = 1;
  while (bounds[i] <= after) ++i;  // bounds[i - 1] <= after < bounds[i]
  const double within =
      static_cast<double>(bounds[i] - after) / static_cast<double>(bounds[i] - bounds[i - 1]);
  const double buckets = static_cast<double>(bounds.size() - 1);
  return times.rows * (static_cast<double>(bounds.size() - 1 - i) + within) / buckets;
}

// Whether `walked` rows of the paged table (`times`) are enough of it, and
// it and tune (`tune_rows`) small enough, to read them whole. Not tunes
// themselves: with no join to save, the plan for the call's genres reads
// just their tunes by the genre index, which a generic plan cannot know to
// prefer (a 2-genre user's 213 of 3,006 tunes: 1.5x the plain SQL's time
// read whole).
bool read_whole(SyncTable table, const TableTimes &times, double tune_rows, double walked) {
  return table != SyncTable::tune && times.rows > 0 && tune_rows >= 0 &&
         times.rows <= whole_max_rows && tune_rows <= whole_max_rows &&
         walked >= whole_min_share_of_table * times.rows;
}

}  // namespace

bool plan_fixed_by_settings(const RowsShape &shape) {
  // Bounds read all of a user's keys, or a sample, and sort them: the
  // planner's own choice.
  return (shape.access != RowsAccess::app_tables || shape.split == SplitStep::caller_rows) &&
         shape.kind != QueryKind::bounds && shape.kind != QueryKind::bounds_sampled;
}

Datum genres_most_common_first(const AppRelations &relations, Datum genres) {
  if (!OidIsValid(relations.tune)) return genres;
  const LastGenres &facts = cached_genre_facts(relations.tune, genres);
  if (facts.by_frequency.empty()) return genres;
  Datum copy = (Datum)0;
  guarded([&] {
    void *bytes = palloc(facts.by_frequency.size());
    std::memcpy(bytes, facts.by_frequency.data(), facts.by_frequency.size());
    copy = PointerGetDatum(bytes);
  });
  return copy;
}

bool genres_hold_most_tunes(const AppRelations &relations, Datum genres) {
  return OidIsValid(relations.tune) &&
         cached_genre_facts(relations.tune, genres).share >= by_time_min_share;
}

PlanChoice choose_plan(const AppRelations &relations, const RowsShape &shape,
                       const RowsArgs &args) {
  if (plan_fixed_by_settings(shape)) return PlanChoice::kept;
  const bool page = shape.kind == QueryKind::keyset_rows || shape.kind == QueryKind::envelope ||
                    shape.kind == QueryKind::offset_rows;
  if (!page || shape.access != RowsAccess::app_tables) return PlanChoice::automatic;
  if (!args.genre_ids || !OidIsValid(relations.tune)) return PlanChoice::custom;
  const LastGenres &genres = cached_genre_facts(relations.tune, *args.genre_ids);
  if (genres.share <= 0) return PlanChoice::custom;
  const TableTimes &times = cached_table_times(shape.table, relation_of(relations, shape.table));
  double walked = (static_cast<double>(args.limit) + args.offset) / genres.share;
  // From a cursor near the table's newest rows (a worker's incremental
  // sync, an empty one above all) the walk stops at the table's end: it
  // reads no more rows than lie after the cursor.
  if (shape.after != BoundKind::none && shape.bound_type == BoundType::timestamp &&
      shape.kind != QueryKind::offset_rows) {
    const double after = rows_after(times, DatumGetTimestamp(args.after_ts));
    if (after >= 0 && after < walked) walked = after;
  }
  if (read_whole(shape.table, times, genres.tune_rows, walked)) return PlanChoice::whole;
  if (genres.share >= by_time_min_share) return PlanChoice::by_time;
  return walked <= by_time_max_walk ? PlanChoice::by_time : PlanChoice::custom;
}

PlannerSettings current_planner_settings() {
  return {
      enable_hashjoin,         enable_mergejoin, enable_nestloop, enable_sort,
      enable_incremental_sort, enable_indexscan, jit_enabled,     max_parallel_workers_per_gather,
      plan_cache_mode};
}

PlannerSettings planner_settings_for(const RowsShape &shape, PlanChoice choice,
                                     PlannerSettings now) {
  switch (choice) {
    case PlanChoice::automatic: break;
    case PlanChoice::custom: now.cache_mode = PLAN_CACHE_MODE_FORCE_CUSTOM_PLAN; break;
    case PlanChoice::whole:
      // Each table read by its own filter (a bitmap or sequential scan),
      // the rows hash-joined to their tunes and sorted. Nothing in key order
      // up to LIMIT: the generic plan, not knowing the page size, would walk
      // (tunes, with no join, by their (last_modified_at, id) index).
      now.indexscan = false;
      now.nestloop = false;
      now.mergejoin = false;
      now.hashjoin = true;
      now.sort = true;
      now.parallel_workers = 0;
      now.jit = false;
      now.cache_mode = PLAN_CACHE_MODE_FORCE_GENERIC_PLAN;
      break;
    case PlanChoice::by_time:
    case PlanChoice::kept:
      now.hashjoin = false;
      now.parallel_workers = 0;
      now.jit = false;
      if (shape.split == SplitStep::caller_rows) {
        // A split page's rows for the owner's candidates: each candidate's
        // row and tune by primary key, in a nested loop, and the few found
        // sorted; never a walk of the table in time order filtered by the
        // candidates.
        now.mergejoin = false;
        break;
      }
      // Ordered index scans all the way up to LIMIT: no hash join, no sort,
      // no parallel gather; then the one join that keeps the order and reads
      // only as far as needed: the merge join of keys and rows both in key
      // order, or a nested loop fetching each key's row (or each row's tune)
      // by id. Their costs are those of whole scans cut by LIMIT; JIT would
      // compile for the whole scan.
      now.sort = false;
      // An incremental sort over an index on last_modified_at alone reads,
      // on every page, the whole run of rows that share the cursor's
      // timestamp (one bulk update stamps thousands alike).
      now.incremental_sort = false;
      if (shape.access == RowsAccess::keys_by_time_merged)
        now.nestloop = false;
      else
        now.mergejoin = false;
      // The key index's kept plans are generic by their cursor options.
      if (choice == PlanChoice::by_time) now.cache_mode = PLAN_CACHE_MODE_FORCE_GENERIC_PLAN;
      break;
  }
  return now;
}

void use_planner_settings(const PlannerSettings &settings) {
  enable_hashjoin = settings.hashjoin;
  enable_mergejoin = settings.mergejoin;
  enable_nestloop = settings.nestloop;
  enable_sort = settings.sort;
  enable_incremental_sort = settings.incremental_sort;
  enable_indexscan = settings.indexscan;
  jit_enabled = settings.jit;
  max_parallel_workers_per_gather = settings.parallel_workers;
  plan_cache_mode = settings.cache_mode;
}

}  // namespace gs::backend
