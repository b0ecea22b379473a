// The extension's settings (GUCs), registered when the library loads.
#pragma once

namespace gs::backend {

// genre_sync.max_page_size: the largest p_limit a page function accepts.
extern int max_page_size;

}  // namespace gs::backend
