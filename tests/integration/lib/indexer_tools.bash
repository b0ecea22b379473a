# shellcheck shell=bash disable=SC2034  # the sourcing test uses them
# Sourced by integration tests of genre-sync-indexer, which run from the
# repository's top, after lib/check.bash.
#
# Sets indexer (GS_INDEXER, or the one of the CMake build GS_BUILD_DIR) and
# datagen (GS_DATAGEN, or the one of the indexer's build), and fails the test
# when there is no indexer. Whether datagen is there is the test's to check.
indexer=${GS_INDEXER:-${GS_BUILD_DIR:?set GS_INDEXER or GS_BUILD_DIR}/tools/indexer/genre-sync-indexer}
datagen=${GS_DATAGEN:-$(dirname "$indexer")/../datagen/genre-sync-datagen}
[ -x "$indexer" ] || fail "no indexer at $indexer"
