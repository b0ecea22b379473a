#!/usr/bin/env bash
# Checks that the C++ files follow .clang-format; changes nothing.
#
#   tests/format.sh            every C++ file in git
#   tests/format.sh FILE...    only these
#
# Exit 0 when all are formatted, 1 when any is not (clang-format prints
# where), 2 when clang-format is missing (Debian: apt-get install clang-format).
# To format a file in place: clang-format -i FILE.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v clang-format >/dev/null || { echo "format.sh: clang-format not found" >&2; exit 2; }

if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc')
fi

status=0
for f in "${files[@]}"; do
  clang-format --style="file:$PWD/.clang-format" --dry-run --Werror "$f" || status=1
done
[ "$status" = 0 ] && echo "format.sh: ${#files[@]} files formatted"
exit "$status"
