#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/role_list.hpp"

using Names = std::vector<std::string>;

TEST_CASE("role lists read as SQL identifiers") {
  CHECK(gs::parse_role_list("") == Names{});
  CHECK(gs::parse_role_list("  ") == Names{});
  CHECK(gs::parse_role_list("service_role") == Names{"service_role"});
  CHECK(gs::parse_role_list(" Service_Role ,worker") == Names{"service_role", "worker"});
  CHECK(gs::parse_role_list(R"("Sync Worker", "a,b" ,"say ""hi""")") ==
        Names{"Sync Worker", "a,b", "say \"hi\""});
  CHECK(gs::parse_role_list(std::string(63, 'r')) == Names{std::string(63, 'r')});
}

TEST_CASE("malformed role lists are 22023") {
  for (const std::string &bad :
       std::vector<std::string>{",", "a,", ",a", "a,,b", "a b", "\"a", "a\"b", "\"\"", "a, \"\"",
                                std::string(64, 'r')}) {
    INFO(bad);
    try {
      gs::parse_role_list(bad);
      FAIL("accepted");
    } catch (const gs::Error &e) {
      CHECK(e.sqlstate() == "22023");
      CHECK(std::string(e.what()).rfind("invalid list of role names: ", 0) == 0);
    }
  }
}
