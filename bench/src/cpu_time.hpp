#pragma once
// Where the CPU of a run went: the bench's own threads, and the server
// backends when they run on this machine. Read from the kernel's scheduler
// statistics (/proc/.../schedstat): nanoseconds on a CPU, and nanoseconds
// runnable but waiting for one. With client and server on the same cores,
// this is what a speedup over P connections is made of: how many cores were
// busy, and what a row cost them.
#include <libpq-fe.h>

#include <optional>
#include <string_view>

namespace gs::bench {

struct CpuTime {
  double on_cpu_ms = 0;
  double runnable_ms = 0;  // ready to run, waiting for a core

  CpuTime &operator+=(const CpuTime &o) {
    on_cpu_ms += o.on_cpu_ms;
    runnable_ms += o.runnable_ms;
    return *this;
  }
  friend CpuTime operator-(CpuTime a, const CpuTime &b) {
    a.on_cpu_ms -= b.on_cpu_ms;
    a.runnable_ms -= b.runnable_ms;
    return a;
  }
};

// The first two fields of a schedstat line ("on-cpu-ns wait-ns slices");
// nullopt when they are not two numbers.
std::optional<CpuTime> parse_schedstat(std::string_view line);

// The calling thread so far; zero where the kernel keeps no schedstat.
CpuTime this_thread_cpu();

// The backend of `conn` so far, when it is a process of this machine (the
// connection is over a unix socket or the loopback, and the process it
// names is a postgres one); nullopt otherwise.
std::optional<CpuTime> local_backend_cpu(PGconn *conn);

}  // namespace gs::bench
