#include <catch2/catch.hpp>

#include "cpu_time.hpp"

using namespace gs::bench;

TEST_CASE("schedstat: nanoseconds on a CPU and waiting for one, in ms") {
  const auto t = parse_schedstat("59950935 43248133 34\n");
  REQUIRE(t);
  CHECK(t->on_cpu_ms == Approx(59.950935));
  CHECK(t->runnable_ms == Approx(43.248133));
  const auto zero = parse_schedstat("0 0 0");
  REQUIRE(zero);
  CHECK(zero->on_cpu_ms == 0.0);
}

TEST_CASE("schedstat: anything but two numbers is no reading") {
  CHECK_FALSE(parse_schedstat(""));
  CHECK_FALSE(parse_schedstat("12345"));
  CHECK_FALSE(parse_schedstat("abc 1 2"));
  CHECK_FALSE(parse_schedstat("-5 1 2"));
}

TEST_CASE("cpu time: differences and sums") {
  CpuTime a{10, 2};
  a += CpuTime{5, 1};
  const CpuTime d = a - CpuTime{3, 0.5};
  CHECK(d.on_cpu_ms == Approx(12));
  CHECK(d.runnable_ms == Approx(2.5));
}
