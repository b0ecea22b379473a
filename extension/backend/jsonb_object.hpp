// Building a jsonb object member by member. Every call may ereport, so use
// it inside guarded(); a longjmp may then skip its destructor, so it has none
// (checked below). Keys, strings and nested jsonb are referenced, not
// copied, until finish() writes the object: they must live that long.
#pragma once

#include <type_traits>

#include "backend/pg.hpp"

extern "C" {
#include "utils/jsonb.h"
}

namespace gs::backend {

class JsonbObject {
 public:
  JsonbObject();
  void add_string(const char *key, const char *value);  // nullptr: JSON null
  void add_int(const char *key, int64 value);
  void add_bool(const char *key, bool value);
  void begin_array(const char *key);  // then add_element()s, end_array()
  void add_element(Jsonb *value);
  void add_element_string(const char *value);
  void end_array();
  void add_string_array(const char *key, ArrayType *texts);
  Jsonb *finish();

 private:
  void key(const char *name);
  JsonbParseState *state_ = nullptr;
};

static_assert(std::is_trivially_destructible_v<JsonbObject>,
              "JsonbObject lives inside guarded(), where a longjmp may skip its destructor");

}  // namespace gs::backend
