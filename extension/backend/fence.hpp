// The fence between C++ and PostgreSQL's longjmp-based errors (docs/design.md,
// "C++ inside a PostgreSQL backend").
//
// - fenced() is the body of every SQL-callable function: C++ exceptions stop
//   there and are reported with ereport only after every C++ object of the
//   call is gone, keeping their SQLSTATE.
// - guarded() runs PostgreSQL calls that may ereport from C++ code and turns
//   their error into a gs::Error, so the longjmp never skips a destructor.
#pragma once

#include <exception>

#include "backend/pg.hpp"
#include "core/error.hpp"

namespace gs::backend {

[[noreturn]] void throw_pg_error(ErrorData *edata);

// fn must not hold objects with non-trivial destructors across a call that
// may ereport: a longjmp out of it would skip them. A C++ exception thrown
// by fn is carried out of the PG_TRY region and re-thrown after it.
template <typename Fn>
void guarded(Fn &&fn) {
  MemoryContext caller_context = CurrentMemoryContext;
  ErrorData *volatile caught = nullptr;
  std::exception_ptr thrown;
  PG_TRY();
  {
    try {
      fn();
    } catch (...) {
      thrown = std::current_exception();
    }
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(caller_context);
    caught = CopyErrorData();
    FlushErrorState();
  }
  PG_END_TRY();
  if (caught != nullptr) throw_pg_error(caught);
  if (thrown) std::rethrow_exception(thrown);
}

using Implementation = Datum (*)(FunctionCallInfo);

Datum fenced(FunctionCallInfo fcinfo, Implementation impl);

}  // namespace gs::backend
