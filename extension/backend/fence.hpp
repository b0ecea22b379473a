// The fence between C++ and PostgreSQL's longjmp-based errors (docs/design.md,
// "C++ inside a PostgreSQL backend").
//
// - fenced() is the body of every SQL-callable function: C++ exceptions stop
//   there, and the error goes out only after every C++ object of the call is
//   gone. A PostgreSQL error caught on the way is raised again as it was (all
//   of its fields, its CONTEXT as PostgreSQL built it); an error of the C++
//   code is reported with its SQLSTATE, message, detail and hint.
// - guarded() runs PostgreSQL calls that may ereport from C++ code and turns
//   their error into a C++ exception holding PostgreSQL's own error data, so
//   the longjmp never skips a destructor.
#pragma once

#include <exception>
#include <new>
#include <type_traits>

#include "backend/pg.hpp"
#include "core/error.hpp"

namespace gs::backend {

// A PostgreSQL error caught by guarded(), on its way out to fenced(). The
// ErrorData is a copy in the fence's own memory context, which outlives the
// contexts the C++ code unwinds through; the exception is only its pointer,
// so it has nothing to free on the way.
class PgError {
 public:
  explicit PgError(ErrorData *edata) noexcept : edata_(edata) {}
  ErrorData *edata() const noexcept { return edata_; }

 private:
  ErrorData *edata_;
};

namespace detail {
// In a PG_CATCH block: the current error copied where fenced() can re-raise
// it, and PostgreSQL's error state cleared; nullptr if the copy ran out of
// memory. Ends in caller_context.
ErrorData *keep_caught_error(MemoryContext caller_context) noexcept;
}  // namespace detail

// fn must not hold objects with non-trivial destructors across a call that
// may ereport: a longjmp out of it would skip them. The closure itself is
// checked here (capture by reference, or values without destructors); types
// made inside fn say so with their own static_assert (see backend/envelope.hpp). A
// C++ exception thrown by fn is carried out of the PG_TRY region and
// re-thrown after it.
template <typename Fn>
void guarded(Fn &&fn) {
  static_assert(std::is_trivially_destructible_v<std::remove_reference_t<Fn>>,
                "guarded(): a longjmp out of fn would skip the destructor of what it captures");
  MemoryContext caller_context = CurrentMemoryContext;
  ErrorData *volatile caught = nullptr;
  bool volatile failed = false;
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
    failed = true;
    caught = detail::keep_caught_error(caller_context);
  }
  PG_END_TRY();
  if (failed) {
    if (caught == nullptr) throw std::bad_alloc();
    throw PgError(caught);
  }
  if (thrown) std::rethrow_exception(thrown);
}

using Implementation = Datum (*)(FunctionCallInfo);

Datum fenced(FunctionCallInfo fcinfo, Implementation impl);

}  // namespace gs::backend
