#include "backend/fence.hpp"

#include <cstring>
#include <new>
#include <string_view>

namespace gs::backend {

namespace {

// Where caught PostgreSQL errors and C++ errors' texts wait for fenced() to
// raise them: the contexts current where an error is caught (SPI's, say)
// need not outlive the C++ frames it unwinds through. Emptied when a fenced()
// call begins: what it held has been raised by then (ReThrowError copied it
// to ErrorContext), also under a call nested in another's SQL, since a call
// puts an error here only once its own SQL has stopped running.
MemoryContext fence_context = nullptr;

void begin_fence() {
  if (fence_context == nullptr)
    fence_context =
        AllocSetContextCreate(TopMemoryContext, "genre_sync fence", ALLOCSET_SMALL_SIZES);
  else
    MemoryContextReset(fence_context);
}

// An error of the C++ code, as ereport will say it. Plain pointers into the
// fence context: nothing here needs destroying.
struct Report {
  int sqlerrcode;
  const char *message;
  const char *detail;  // nullptr: none
  const char *hint;    // nullptr: none
};

constexpr Report out_of_memory{ERRCODE_OUT_OF_MEMORY, "out of memory", nullptr, nullptr};

// These run in catch blocks, where the exception object is alive: they may
// neither ereport nor throw, so they take string_views, allocate with
// MCXT_ALLOC_NO_OOM and say nullptr when memory ran out. Texts are copied
// whole: nothing is cut, so no UTF-8 sequence is split.
const char *copy_text(std::string_view text) noexcept {
  auto *copy = static_cast<char *>(MemoryContextAllocExtended(fence_context, text.size() + 1,
                                                              MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM));
  if (copy == nullptr) return nullptr;
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

int sqlerrcode_of(std::string_view sqlstate) noexcept {
  if (sqlstate.size() != 5) return ERRCODE_INTERNAL_ERROR;
  for (char c : sqlstate)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return ERRCODE_INTERNAL_ERROR;
  const char *s = sqlstate.data();
  return MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]);
}

Report report_of(int sqlerrcode, std::string_view message, std::string_view detail = {},
                 std::string_view hint = {}) noexcept {
  Report report{sqlerrcode, copy_text(message), nullptr, nullptr};
  if (report.message == nullptr) return out_of_memory;
  if (!detail.empty() && (report.detail = copy_text(detail)) == nullptr) return out_of_memory;
  if (!hint.empty() && (report.hint = copy_text(hint)) == nullptr) return out_of_memory;
  return report;
}

// Runs the caller's error context callbacks (its PL/pgSQL frames, say), so
// the CONTEXT of a C++ error is PostgreSQL's own, once.
[[noreturn]] void raise(const Report &r) {
  ereport(ERROR, (errcode(r.sqlerrcode), errmsg_internal("%s", r.message),
                  r.detail != nullptr ? errdetail_internal("%s", r.detail) : 0,
                  r.hint != nullptr ? errhint("%s", r.hint) : 0));
  pg_unreachable();
}

}  // namespace

namespace detail {

ErrorData *keep_caught_error(MemoryContext caller_context) noexcept {
  MemoryContextSwitchTo(fence_context != nullptr ? fence_context : caller_context);
  ErrorData *volatile kept = nullptr;
  // CopyErrorData may itself run out of memory; that error must not leave
  // guarded() by longjmp either.
  PG_TRY();
  { kept = CopyErrorData(); }
  PG_CATCH();
  {}
  PG_END_TRY();
  FlushErrorState();
  MemoryContextSwitchTo(caller_context);
  return kept;
}

}  // namespace detail

Datum fenced(FunctionCallInfo fcinfo, Implementation impl) {
  begin_fence();
  ErrorData *pg_error = nullptr;
  Report report{};
  bool failed = true;
  Datum result = (Datum)0;
  try {
    result = impl(fcinfo);
    failed = false;
  } catch (const PgError &e) {
    pg_error = e.edata();
  } catch (const Error &e) {
    report = report_of(sqlerrcode_of(e.sqlstate()), e.what(), e.detail(), e.hint());
  } catch (const std::bad_alloc &) {
    report = out_of_memory;
  } catch (const std::exception &e) {
    report = report_of(ERRCODE_INTERNAL_ERROR, e.what());
  } catch (...) {
    report = report_of(ERRCODE_INTERNAL_ERROR, "unknown C++ exception");
  }
  // Every C++ object of the call is gone. ReThrowError raises the error as
  // it was caught: its CONTEXT already holds the caller's frames, and unlike
  // ereport or ThrowErrorData it runs no context callback to add them again.
  if (pg_error != nullptr) ReThrowError(pg_error);
  if (failed) raise(report);
  return result;
}

}  // namespace gs::backend
