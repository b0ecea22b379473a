#include "backend/settings.hpp"

#include <climits>

#include "backend/pg.hpp"

namespace gs::backend {

int max_page_size = 10000;

}  // namespace gs::backend

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void);

void _PG_init(void) {
  DefineCustomIntVariable("genre_sync.max_page_size",
                          "Largest p_limit the genre_sync page functions accept.",
                          "Bounds the rows one call materializes; a larger p_limit is an error.",
                          &gs::backend::max_page_size, 10000, 1, INT_MAX, PGC_USERSET, 0,
                          nullptr, nullptr, nullptr);
  MarkGUCPrefixReserved("genre_sync");
}

}  // extern "C"
