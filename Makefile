# genre_sync: PGXS build of the C++ extension, plus the two commands README names.
#
#   make && make install     build and install the extension
#   make installcheck        pg_regress against a running server (PGHOST/PGPORT)
#   make test                everything, from a fresh machine: deps, build, throwaway cluster,
#                            pg_regress, unit tests, integration tests
#   make bench [SCALE=10]    the main job: everything above on a throwaway cluster with
#                            generated data, a paged sync of one user, the benchmark table

EXTENSION    = genre_sync
MODULE_big   = genre_sync
OBJS         = $(patsubst %.cpp,%.o,$(sort $(wildcard extension/core/*.cpp extension/backend/*.cpp)))
# 1.0 installs from extension/sql/*.sql; each later version is an update
# script from extension/sql/<from>--<to>/*.sql, and CREATE EXTENSION walks
# the chain, so fresh installs and upgrades run the same scripts.
UPDATES      = 1.0--1.1 1.1--1.2 1.2--1.3
DATA_built   = extension/$(EXTENSION)--1.0.sql $(patsubst %,extension/$(EXTENSION)--%.sql,$(UPDATES))
EXTRA_CLEAN  = $(DATA_built) $(OBJS:.o=.d)

# setup builds the fixture the other tests read, so it runs first;
# filter_changes changes the fixture, so it runs last.
REGRESS_ALL  = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))
REGRESS      = setup $(filter-out setup filter_changes,$(REGRESS_ALL)) filter_changes
REGRESS_OPTS = --inputdir=. --load-extension=plpgsql

PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

PG_CPPFLAGS  = -Iextension
PG_CXXFLAGS  = -std=c++20 -Wall -Wextra -Wno-register
ifdef WERROR
PG_CXXFLAGS += -Werror
endif
SHLIB_LINK  += -lstdc++

.SECONDEXPANSION:

ifneq ($(PGXS),)
include $(PGXS)
# Server headers as system headers: their C idioms are not our warnings.
override CPPFLAGS := -isystem $(includedir_server) $(CPPFLAGS)
# Debian's PostgreSQL also emits LLVM bitcode with clang; give it our dialect.
COMPILE.cxx.bc += $(PG_CXXFLAGS)
# Rebuild objects whose headers changed (g++ only: the bitcode rule would
# write the same .d files for its own targets).
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
endif

# Each script is assembled from one fragment per concern, in name order.
extension/$(EXTENSION)--1.0.sql: $(sort $(wildcard extension/sql/*.sql))
	cat $^ > $@

# Every script ends with the same privileges fragment (see there).
extension/$(EXTENSION)--%.sql: $$(sort $$(wildcard extension/sql/%/*.sql)) extension/sql/90_privileges.sql
	cat $^ > $@

.PHONY: test bench deps
deps:
	tools/ensure-deps

test:
	tests/run-all

bench:
	bench/make-bench.sh $(if $(SCALE),--scale $(SCALE))
