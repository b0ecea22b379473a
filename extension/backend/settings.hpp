// The extension's settings (GUCs), registered when the library loads.
#pragma once

namespace gs::backend {

// genre_sync.max_page_size: the largest p_limit a page function accepts.
extern int max_page_size;
// genre_sync.stamp_time_zone: the TimeZone rows are stamped in (now() cast
// to the timestamp column), for turning the horizon into a column value.
extern char *stamp_time_zone;
// genre_sync.horizon_margin: how far (ms) the horizon stays behind the
// oldest transaction start it sees.
extern int horizon_margin_ms;

// Sets glibc's malloc to keep the memory a call frees for the next call
// (settings.cpp says why); the backend is single-threaded.
// genre_sync.keep_freed_heap (default on): whether keep_freed_heap() does.
extern bool keep_freed_heap_setting;
void keep_freed_heap();

}  // namespace gs::backend
