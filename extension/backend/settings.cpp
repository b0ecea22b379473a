#include "backend/settings.hpp"

#include <malloc.h>
#include <climits>

#include "backend/caller_identity.hpp"
#include "backend/pg.hpp"

namespace gs::backend {

int max_page_size = 10000;
char *stamp_time_zone = nullptr;
int horizon_margin_ms = 1000;
bool keep_freed_heap_setting = true;

void keep_freed_heap() {
  // A page's tuplestore and executor state, or an envelope, take a few MB
  // of a call and give them back at its end. With glibc's defaults the
  // heap's top is returned to the kernel on every call (and the large blocks
  // mapped and unmapped), and each return flushes the TLB on every CPU: on
  // the 2-vCPU development machine about a sixth of a 145-row page's server
  // time at scale 1, a cost the plain SQL peer, which streams its rows,
  // does not pay. Blocks up to 8 MB (the largest a memory context asks
  // for) now come from the heap, and up to 16 MB of its freed top stays
  // with the process for the next call. glibc itself raises both thresholds
  // this far after freeing such blocks; fixed, they also hold from the
  // first call on. genre_sync.keep_freed_heap = off leaves glibc's own.
  if (!keep_freed_heap_setting) return;
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 16 << 20);
}

}  // namespace gs::backend

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void) {
  // Read once, when a backend loads the library (it sets the process's
  // allocator), so only from the server's configuration.
  DefineCustomBoolVariable(
      "genre_sync.keep_freed_heap",
      "Keeps up to 16 MB of memory a call frees for the next call (glibc mallopt).",
      "Takes effect in backends that load genre_sync after it is changed.",
      &gs::backend::keep_freed_heap_setting, true, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  gs::backend::keep_freed_heap();
  DefineCustomIntVariable(
      "genre_sync.max_page_size", "Largest p_limit the genre_sync page functions accept.",
      "Bounds the rows one call materializes; a larger p_limit is an error.",
      &gs::backend::max_page_size, 10000, 1, INT_MAX, PGC_USERSET, 0, nullptr, nullptr, nullptr);
  gs::backend::register_identity_settings();
  DefineCustomStringVariable(
      "genre_sync.stamp_time_zone", "TimeZone in which the app's rows are stamped with now().",
      "The safe horizon is a last_modified_at value in this zone.", &gs::backend::stamp_time_zone,
      "UTC", PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("genre_sync.horizon_margin",
                          "How far the safe horizon stays behind the oldest running transaction.",
                          "Covers the instant between a transaction taking its start time and "
                          "announcing it.",
                          &gs::backend::horizon_margin_ms, 1000, 0, 3600 * 1000, PGC_SUSET,
                          GUC_UNIT_MS, nullptr, nullptr, nullptr);
  MarkGUCPrefixReserved("genre_sync");
}

}  // extern "C"
