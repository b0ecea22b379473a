#include "datagen/row_values.hpp"

#include <cstdio>

namespace gs::datagen {

void put_device_id(CopyRow &row, Prng &rng) {
  if (rng.chance(0.5)) {
    row.null();
    return;
  }
  char id[16];
  std::snprintf(id, sizeof id, "device-%02u", static_cast<unsigned>(rng.below(50)));
  row.text(id);
}

void put_optional_flag(CopyRow &row, Prng &rng) {
  switch (rng.below(3)) {
    case 0: row.null(); break;
    case 1: row.boolean(true); break;
    default: row.boolean(false); break;
  }
}

}  // namespace gs::datagen
