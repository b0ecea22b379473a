# genre_sync: PGXS build of the C++ extension, plus the two commands README names.
#
#   make && make install     build and install the extension
#   make installcheck        pg_regress against a running server (PGHOST/PGPORT)
#   make test                everything, from a fresh machine: deps, build, throwaway cluster,
#                            pg_regress, unit tests, integration tests
#   make demo                the main job on a throwaway cluster

EXTENSION    = genre_sync
EXTVERSION   = 1.0
MODULE_big   = genre_sync
OBJS         = $(patsubst %.cpp,%.o,$(sort $(wildcard extension/core/*.cpp extension/backend/*.cpp)))
DATA_built   = extension/$(EXTENSION)--$(EXTVERSION).sql
EXTRA_CLEAN  = $(DATA_built)

# setup builds the fixture the other tests read, so it runs first.
REGRESS_ALL  = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))
REGRESS      = setup $(filter-out setup,$(REGRESS_ALL))
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

PG_CPPFLAGS  = -Iextension
PG_CXXFLAGS  = -std=c++20 -Wall -Wextra -Wno-register
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK  += -lstdc++

ifneq ($(PGXS),)
include $(PGXS)
# Server headers as system headers: their C idioms are not our warnings.
override CPPFLAGS := -isystem $(includedir_server) $(CPPFLAGS)
# Debian's PostgreSQL also emits LLVM bitcode with clang; give it our dialect.
COMPILE.cxx.bc += $(PG_CXXFLAGS)
endif

# The install script is assembled from one fragment per concern, in name order.
extension/$(EXTENSION)--$(EXTVERSION).sql: $(sort $(wildcard extension/sql/*.sql))
	cat $^ > $@

.PHONY: test demo deps
deps:
	tools/ensure-deps

test:
	tests/run-all

demo:
	tools/sync-demo
