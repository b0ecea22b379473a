#include "backend/jsonb_object.hpp"

#include <cstring>

extern "C" {
#include "utils/numeric.h"
}

namespace gs::backend {

namespace {

JsonbValue string_value(const char *text) {
  JsonbValue v;
  v.type = jbvString;
  v.val.string.len = static_cast<int>(std::strlen(text));
  v.val.string.val = const_cast<char *>(text);
  return v;
}

}  // namespace

JsonbObject::JsonbObject() { pushJsonbValue(&state_, WJB_BEGIN_OBJECT, nullptr); }

void JsonbObject::key(const char *name) {
  JsonbValue k = string_value(name);
  pushJsonbValue(&state_, WJB_KEY, &k);
}

void JsonbObject::add_string(const char *name, const char *value) {
  key(name);
  JsonbValue v;
  if (value == nullptr) {
    v.type = jbvNull;
  } else {
    v = string_value(value);
  }
  pushJsonbValue(&state_, WJB_VALUE, &v);
}

void JsonbObject::add_int(const char *name, int64 value) {
  key(name);
  JsonbValue v;
  v.type = jbvNumeric;
  v.val.numeric = int64_to_numeric(value);
  pushJsonbValue(&state_, WJB_VALUE, &v);
}

void JsonbObject::add_bool(const char *name, bool value) {
  key(name);
  JsonbValue v;
  v.type = jbvBool;
  v.val.boolean = value;
  pushJsonbValue(&state_, WJB_VALUE, &v);
}

void JsonbObject::begin_array(const char *name) {
  key(name);
  pushJsonbValue(&state_, WJB_BEGIN_ARRAY, nullptr);
}

void JsonbObject::add_element(Jsonb *value) {
  JsonbValue v;
  v.type = jbvBinary;
  v.val.binary.data = &value->root;
  v.val.binary.len = static_cast<int>(VARSIZE(value) - VARHDRSZ);
  pushJsonbValue(&state_, WJB_ELEM, &v);
}

void JsonbObject::add_element_string(const char *value) {
  JsonbValue v = string_value(value);
  pushJsonbValue(&state_, WJB_ELEM, &v);
}

void JsonbObject::end_array() { pushJsonbValue(&state_, WJB_END_ARRAY, nullptr); }

void JsonbObject::add_string_array(const char *name, ArrayType *texts) {
  key(name);
  Datum *elems = nullptr;
  bool *nulls = nullptr;
  int count = 0;
  deconstruct_array(texts, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
  pushJsonbValue(&state_, WJB_BEGIN_ARRAY, nullptr);
  for (int i = 0; i < count; ++i) {
    JsonbValue v;
    if (nulls[i]) {
      v.type = jbvNull;
    } else {
      text *t = DatumGetTextPP(elems[i]);
      v.type = jbvString;
      v.val.string.len = static_cast<int>(VARSIZE_ANY_EXHDR(t));
      v.val.string.val = VARDATA_ANY(t);
    }
    pushJsonbValue(&state_, WJB_ELEM, &v);
  }
  pushJsonbValue(&state_, WJB_END_ARRAY, nullptr);
}

Jsonb *JsonbObject::finish() {
  return JsonbValueToJsonb(pushJsonbValue(&state_, WJB_END_OBJECT, nullptr));
}

}  // namespace gs::backend
