#pragma once

#include "datagen/prng.hpp"

#include <cstdint>
#include <string>

namespace gs::datagen {

struct Uuid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const Uuid &, const Uuid &) = default;
};

// A version-4 layout UUID whose random bits are a hash of (seed, kind,
// index): any table can name row `index` of another (a tune_ref, say)
// without storing the ids.
Uuid derived_uuid(std::uint64_t seed, Stream kind, std::uint64_t index) noexcept;

// Appends the 36-character lowercase text form.
void append_uuid(std::string &out, const Uuid &id);
std::string to_string(const Uuid &id);

}  // namespace gs::datagen
