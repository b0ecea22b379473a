#include "datagen/timestamp.hpp"

namespace gs::datagen {
namespace {

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's civil_from_days: proleptic Gregorian, no tables, no libc
// time zone state.
CivilDate civil_from_days(std::int64_t days) {
  days += 719'468;
  const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(days - era * 146'097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2);
  return {year, month, day};
}

void put_digits(char *at, std::uint64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void append_timestamp(std::string &out, Micros value) {
  Micros days = value / micros_per_day;
  Micros rest = value % micros_per_day;
  if (rest < 0) {
    rest += micros_per_day;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const auto seconds = static_cast<std::uint64_t>(rest / micros_per_second);
  char text[] = "0000-00-00 00:00:00.000000";
  put_digits(text, static_cast<std::uint64_t>(date.year), 4);
  put_digits(text + 5, date.month, 2);
  put_digits(text + 8, date.day, 2);
  put_digits(text + 11, seconds / 3600, 2);
  put_digits(text + 14, seconds / 60 % 60, 2);
  put_digits(text + 17, seconds % 60, 2);
  put_digits(text + 20, static_cast<std::uint64_t>(rest % micros_per_second), 6);
  out.append(text, sizeof text - 1);
}

std::string format_timestamp(Micros value) {
  std::string text;
  append_timestamp(text, value);
  return text;
}

}  // namespace gs::datagen
