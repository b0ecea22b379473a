#pragma once
// An order-sensitive fingerprint of the row ids a method returned (FNV-1a
// over "id\n" in order): two methods agree only if they return the same rows
// in the same order, which the row count alone would not show.
#include <cstdint>
#include <string_view>

namespace gs::bench {

class IdDigest {
 public:
  void add(std::string_view id) {
    for (unsigned char c : id) mix(c);
    mix('\n');
  }
  std::uint64_t value() const { return h_; }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  std::uint64_t h_ = 14695981039346656037ULL;
};

}  // namespace gs::bench
