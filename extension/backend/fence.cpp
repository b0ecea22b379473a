#include "backend/fence.hpp"

#include <cstring>
#include <new>
#include <string>

namespace gs::backend {

namespace {

// A plain copy of an error, with no destructor: it outlives the C++ scope it
// was taken in and is what ereport reads.
struct ErrorReport {
  char sqlstate[6];
  char message[2048];
  char detail[1024];
  char hint[1024];
  char context[1024];
};

template <std::size_t N>
void copy_text(char (&to)[N], const char *from) {
  std::strncpy(to, from, N - 1);
  to[N - 1] = '\0';
}

void capture(ErrorReport &report, const char *sqlstate, const char *message,
             const char *detail = "", const char *hint = "", const char *context = "") {
  copy_text(report.sqlstate, sqlstate);
  copy_text(report.message, message);
  copy_text(report.detail, detail);
  copy_text(report.hint, hint);
  copy_text(report.context, context);
}

[[noreturn]] void raise(const ErrorReport &r) {
  const char *s = r.sqlstate;
  ereport(ERROR, (errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])),
                  errmsg_internal("%s", r.message),
                  r.detail[0] ? errdetail_internal("%s", r.detail) : 0,
                  r.hint[0] ? errhint("%s", r.hint) : 0,
                  r.context[0] ? errcontext("%s", r.context) : 0));
  pg_unreachable();
}

std::string or_empty(const char *text) { return text ? text : ""; }

}  // namespace

void throw_pg_error(ErrorData *edata) {
  Error error(unpack_sql_state(edata->sqlerrcode), or_empty(edata->message),
              or_empty(edata->detail), or_empty(edata->hint), or_empty(edata->context));
  FreeErrorData(edata);
  throw error;
}

Datum fenced(FunctionCallInfo fcinfo, Implementation impl) {
  ErrorReport report;
  bool failed = true;
  Datum result = (Datum) 0;
  try {
    result = impl(fcinfo);
    failed = false;
  } catch (const Error &e) {
    capture(report, e.sqlstate().c_str(), e.what(), e.detail().c_str(), e.hint().c_str(),
            e.context().c_str());
  } catch (const std::bad_alloc &) {
    capture(report, sqlstate::out_of_memory, "out of memory");
  } catch (const std::exception &e) {
    capture(report, sqlstate::internal_error, e.what());
  } catch (...) {
    capture(report, sqlstate::internal_error, "unknown C++ exception");
  }
  if (failed) raise(report);
  return result;
}

}  // namespace gs::backend
