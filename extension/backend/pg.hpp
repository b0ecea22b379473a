// The one place PostgreSQL's C headers enter the C++ build. Files that
// include this are backend code; extension/core/ never does.
#pragma once

extern "C" {
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tstoreReceiver.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

// The code is built and tested against PostgreSQL 15 only. Some of it reads
// server internals whose layout changes between major versions (see the
// comments that name "PostgreSQL 15" in extension/backend/), so another
// major fails here rather than compiling into a library that misreads them.
// Supporting one means checking those places and running the whole test
// suite against it (docs/design.md, "Supported versions").
#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 160000
#error \
    "genre_sync is checked against PostgreSQL 15 only: these headers are of another major version (PG_VERSION_NUM)"
#endif
