#pragma once

namespace gs::indexer {

// Documented in --help; scripts branch on them.
enum ExitCode {
  exit_ok = 0,
  exit_connection_failed = 1,
  exit_usage = 2,
  exit_permission_denied = 3,
  exit_build_failed = 4,
  exit_interrupted = 5,
};

}  // namespace gs::indexer
