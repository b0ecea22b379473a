#include "core/error.hpp"

#include <utility>

namespace gs {

Error::Error(std::string sqlstate, const std::string &message, std::string detail, std::string hint)
    : std::runtime_error(message),
      sqlstate_(std::move(sqlstate)),
      detail_(std::move(detail)),
      hint_(std::move(hint)) {}

}  // namespace gs
