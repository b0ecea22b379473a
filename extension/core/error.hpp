// The error type of genre_sync's C++: carries the SQLSTATE the fence reports.
#pragma once

#include <stdexcept>
#include <string>

namespace gs {

namespace sqlstate {
inline constexpr const char *null_value_not_allowed = "22004";
inline constexpr const char *invalid_parameter_value = "22023";
inline constexpr const char *array_subscript_error = "2202E";
inline constexpr const char *invalid_text_representation = "22P02";
inline constexpr const char *out_of_memory = "53200";
inline constexpr const char *internal_error = "XX000";
}  // namespace sqlstate

// Thrown by pure C++ code for bad input; the fence turns it into an ereport
// with this SQLSTATE, message, detail and hint. (A PostgreSQL error caught by
// the backend's guard travels as itself, not as one of these.)
class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, const std::string &message, std::string detail = {},
        std::string hint = {});

  const std::string &sqlstate() const noexcept { return sqlstate_; }
  const std::string &detail() const noexcept { return detail_; }
  const std::string &hint() const noexcept { return hint_; }

 private:
  std::string sqlstate_;
  std::string detail_;
  std::string hint_;
};

}  // namespace gs
