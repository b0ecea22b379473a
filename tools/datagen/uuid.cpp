#include "datagen/uuid.hpp"

namespace gs::datagen {

Uuid derived_uuid(std::uint64_t seed, Stream kind, std::uint64_t index) noexcept {
  SplitMix64 bits(mix64(mix64(seed) ^ static_cast<std::uint64_t>(kind)) + index);
  Uuid id{bits.next(), bits.next()};
  id.high = (id.high & ~0xF000ULL) | 0x4000ULL;                       // version 4
  id.low = (id.low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return id;
}

void append_uuid(std::string &out, const Uuid &id) {
  static constexpr char hex[] = "0123456789abcdef";
  char text[36];
  int pos = 0;
  const auto put = [&](std::uint64_t word, int from_nibble, int to_nibble) {
    for (int n = from_nibble; n < to_nibble; ++n) {
      text[pos++] = hex[(word >> (60 - 4 * n)) & 0xF];
    }
  };
  put(id.high, 0, 8);
  text[pos++] = '-';
  put(id.high, 8, 12);
  text[pos++] = '-';
  put(id.high, 12, 16);
  text[pos++] = '-';
  put(id.low, 0, 4);
  text[pos++] = '-';
  put(id.low, 4, 16);
  out.append(text, sizeof text);
}

std::string to_string(const Uuid &id) {
  std::string text;
  append_uuid(text, id);
  return text;
}

}  // namespace gs::datagen
