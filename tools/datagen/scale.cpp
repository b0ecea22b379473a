#include "datagen/scale.hpp"

#include <cmath>
#include <stdexcept>

namespace gs::datagen {

ScaleCounts counts_for_scale(double scale) {
  if (!(scale >= min_scale && scale <= max_scale)) {
    throw std::invalid_argument("scale must be between 0.1 and 10000");
  }
  const auto scaled = [scale](double base) {
    return static_cast<std::uint64_t>(std::llround(base * scale));
  };
  return {scaled(20), scaled(3006), scaled(1500), scaled(2400)};
}

}  // namespace gs::datagen
