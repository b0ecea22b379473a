#include "backend/plan_cache.hpp"

#include "backend/fence.hpp"

namespace gs::backend {

namespace {

// Plain static storage: a backend-lifetime cache with nothing to destroy.
SPIPlanPtr plans[kept_slot_count];
Oid plans_schema = InvalidOid;

void forget_plans_of_other_schema(Oid schema) {
  if (plans_schema == schema) return;
  guarded([&] {
    for (SPIPlanPtr &plan : plans) {
      if (plan != nullptr) SPI_freeplan(plan);
      plan = nullptr;
    }
  });
  plans_schema = schema;
}

}  // namespace

Oid function_schema(FunctionCallInfo fcinfo) {
  Oid schema = InvalidOid;
  guarded([&] { schema = get_func_namespace(fcinfo->flinfo->fn_oid); });
  return schema;
}

std::string quoted_schema_name(Oid schema) {
  const char *quoted = nullptr;
  guarded([&] {
    char *name = get_namespace_name(schema);
    if (name == nullptr) elog(ERROR, "schema with OID %u does not exist", schema);
    quoted = quote_identifier(name);
  });
  return quoted;
}

SPIPlanPtr cached_plan(Oid schema, int slot) {
  return plans_schema == schema ? plans[slot] : nullptr;
}

SPIPlanPtr prepare_kept_plan(Oid schema, int slot, const std::string &sql, int nargs, Oid *argtypes,
                             int cursor_options) {
  forget_plans_of_other_schema(schema);
  const char *text = sql.c_str();
  guarded([&] {
    SPIPlanPtr plan = SPI_prepare_cursor(text, nargs, argtypes, cursor_options);
    if (plan == nullptr)
      elog(ERROR, "SPI_prepare_cursor failed: %s", SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0) elog(ERROR, "SPI_keepplan failed");
    plans[slot] = plan;
  });
  return plans[slot];
}

}  // namespace gs::backend
