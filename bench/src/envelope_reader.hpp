#pragma once
// Reads the parts of a sync_pull envelope (jsonb as text) that the parallel
// fetch needs: whether the range has more, where to continue, and each row's
// key. A real worker parses the whole envelope; the bench parses it too so
// the client's work is in the measured wall time.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gs::bench {

struct RowKey {
  std::string id;
  std::string last_modified_at;  // as the envelope writes it
  auto operator<=>(const RowKey &) const = default;
};

struct Envelope {
  bool has_more = false;
  std::string next_cursor;  // empty when the envelope's next_cursor is null
  std::vector<RowKey> rows;
  // Filter changes (1.3): ids the replica must delete, whether the page
  // delivers a filter change rather than new rows, the pull's bound, and
  // the ids of rows that came with "deleted": true (tune tombstones).
  // Absent in older envelopes: empty / false.
  std::vector<std::string> removed;
  bool catch_up = false;
  std::string horizon_cursor;  // empty when absent or null
  std::vector<std::string> deleted_ids;
};

struct EnvelopeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws EnvelopeError on text that is not JSON, an envelope without
// has_more or rows, a row without an id or last_modified_at string, or a
// removed array with anything but strings.
Envelope read_envelope(std::string_view json);

}  // namespace gs::bench
