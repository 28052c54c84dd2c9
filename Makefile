# floe: a plain GNU Makefile (see docs/build.md).
#
# Source lists are explicit, one fragment per layer (src/<layer>/*.mk,
# tests/unit/<layer>/*.mk, fuzz/fuzz.mk), as Valkey lists its sources.
# Objects go to an out-of-tree build directory: build/ (release), build/asan
# (sanitizers), build/fuzz (libFuzzer). Targets: all, test, unit, interop,
# asan, fuzz, bench, demo, clean.

PKGS := libzstd zlib liblz4 libbrotlidec libbrotlienc snappy jansson sqlite3 libpq libpcre2-8 libedit
VERSION := 0.1.0

BUILD ?= build
CC ?= cc
OPT ?= -O2
# Parallel jobs for the builds that `make test`, `asan` and `fuzz` start
# after installing dependencies (a plain `make test` should not be serial).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror -MMD -MP \
  -Iinclude -DFLOE_VERSION=\"$(VERSION)\" $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS_ALL := $(CFLAGS_BASE) $(EXTRA_CFLAGS)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
LDFLAGS_ALL := $(EXTRA_LDFLAGS)

# `make` alone builds build/floe, whatever rules the fragments define.
.DEFAULT_GOAL := all

# Layer fragments append to LIB_SRC, CLI_SRC, UNIT_SRC, FUZZ_TARGETS.
LIB_SRC :=
CLI_SRC :=
UNIT_SRC :=
FUZZ_TARGETS :=
include $(sort $(wildcard src/*/*.mk src/*/*/*.mk tests/unit/*/*.mk tests/unit/*.mk fuzz/*.mk))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/unit/runner.o
# Helper programs of the interop suite: tests/interop/gen.c -> floe-interop-gen
# (nested Parquet files); every tests/interop/<x>_gen.c -> floe-<x>-gen, used by
# tests/interop/<x>_check.mjs (avro, manifest, ...).
INTEROP_X := $(patsubst tests/interop/%_gen.c,%,$(wildcard tests/interop/*_gen.c))
INTEROP_BINS := $(BUILD)/floe-interop-gen $(INTEROP_X:%=$(BUILD)/floe-%-gen)
INTEROP_GEN_OBJ := $(BUILD)/tests/interop/gen.o $(INTEROP_X:%=$(BUILD)/tests/interop/%_gen.o)
FUZZ_BINS := $(patsubst fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))

.PHONY: all deps build test slowtest unit sqltest interop asan fuzz fuzzers bench demo clean
all: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build

build: $(BUILD)/floe

deps:
	@bash scripts/install-deps.sh

$(BUILD)/libfloe.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/floe: $(CLI_OBJ) $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/test_unit: $(UNIT_OBJ) $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

# The sqllogictest runner (tests/sql/runner.c): runs tests/sql/**/*.test
# through the public API (include/floe.h).
$(BUILD)/floe-sqltest: $(BUILD)/tests/sql/runner.o $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/floe-interop-gen: $(BUILD)/tests/interop/gen.o $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/floe-%-gen: $(BUILD)/tests/interop/%_gen.o $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# `make test`: every suite: C unit tests (incl. the fixture corpora) and the
# interop tests against DuckDB and hyparquet (tests/interop/run.sh installs
# its npm packages itself).
# The suites run even when an earlier one fails; the exit status reports any.
# The PostgreSQL catalog tests start a throwaway server (tests/catalog).
# tests/iceberg: 8 concurrent writers x 50 appends (SQLite, PostgreSQL) and
# appends SIGKILLed mid-commit (about 1.5 minutes together).
PG_TEST := $(wildcard tests/catalog/pg_test.sh)
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/test_unit $(BUILD)/floe $(BUILD)/floe-sqltest $(INTEROP_BINS)
	@status=0; \
	  echo "== unit tests ($(BUILD)/test_unit)"; $(BUILD)/test_unit || status=1; \
	  echo "== SQL logic tests (tests/sql)"; $(BUILD)/floe-sqltest tests/sql || status=1; \
	  echo "== TPC-DS SF1 web channel: load, 11 answers, 99 plans (tests/tpcds/run.sh)"; bash tests/tpcds/run.sh $(BUILD) || status=1; \
	  echo "== the lakehouse pipeline at SF 0.01 and its checks (tests/pipeline/run.sh)"; bash tests/pipeline/run.sh $(BUILD) || status=1; \
	  echo "== interop tests (tests/interop/run.sh)"; bash tests/interop/run.sh $(BUILD) || status=1; \
	  $(if $(PG_TEST),echo "== catalog tests against PostgreSQL ($(PG_TEST))"; bash $(PG_TEST) $(BUILD) || status=1;) \
	  echo "== concurrent appends (tests/iceberg/concurrency.sh)"; bash tests/iceberg/concurrency.sh $(BUILD) || status=1; \
	  echo "== appends killed mid-commit (tests/iceberg/crash.sh)"; bash tests/iceberg/crash.sh $(BUILD) || status=1; \
	  exit $$status

# Longer suites (CI runs them after `make test`): floe vs DuckDB on
# floe-generated TPC-DS data (all 99 queries), the generator's fidelity
# (SF1 in DuckDB: every query non-empty), the slow sqllogictest files.
slowtest: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/floe $(BUILD)/floe-sqltest
	@status=0; \
	  echo "== TPC-DS differential against DuckDB (tests/tpcds/differential.sh)"; bash tests/tpcds/differential.sh $(BUILD) 0.01 || status=1; \
	  echo "== datagen fidelity at SF1 (tests/datagen/fidelity.sh)"; bash tests/datagen/fidelity.sh $(BUILD) 1 || status=1; \
	  echo "== slow SQL logic tests"; $(BUILD)/floe-sqltest --slow tests/sql || status=1; \
	  exit $$status

unit: $(BUILD)/test_unit
	$(BUILD)/test_unit $(T)

sqltest: $(BUILD)/floe-sqltest
	$(BUILD)/floe-sqltest tests/sql

interop: $(BUILD)/floe $(INTEROP_BINS)
	bash tests/interop/run.sh $(BUILD)

# Unit tests and the interop suite (whose floe runs read and write every
# type) under AddressSanitizer + UndefinedBehaviorSanitizer (leaks fail too).
ASAN_CFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan: deps
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build/asan OPT=-O1 \
	  EXTRA_CFLAGS="$(ASAN_CFLAGS)" EXTRA_LDFLAGS="-fsanitize=address,undefined" \
	  build/asan/test_unit build/asan/floe build/asan/floe-sqltest $(INTEROP_BINS:$(BUILD)/%=build/asan/%)
	@export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1; status=0; \
	  echo "== unit tests under ASan/UBSan"; build/asan/test_unit || status=1; \
	  echo "== SQL logic tests under ASan/UBSan"; build/asan/floe-sqltest tests/sql || status=1; \
	  echo "== interop tests with build/asan/floe"; bash tests/interop/run.sh build/asan || status=1; \
	  exit $$status

# libFuzzer targets (clang): every FUZZ_TARGETS entry (fuzz/fuzz_*.c, see
# fuzz/fuzz.mk) links the library compiled with -fsanitize=fuzzer-no-link;
# each runs FUZZ_SECONDS (default 60) over a corpus seeded from shared/.
FUZZ_SECONDS ?= 60
fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build/fuzz CC=clang OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -Wno-error" \
	  EXTRA_LDFLAGS="-fsanitize=fuzzer,address,undefined" fuzzers
	bash fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzzers: $(FUZZ_BINS)

# keep the fuzz objects (make would delete them as intermediate files)
.SECONDARY: $(FUZZ_BINS:=.o) $(INTEROP_GEN_OBJ)

$(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

bench: all
	bash bench/run.sh $(BUILD)/floe
	bash bench/tpcds.sh $(BUILD)/floe

# The main job: the TPC-DS lakehouse pipeline on a fresh warehouse (floe demo,
# src/cli/cmd_demo.c; DEMO_SCALE=0.1 for more data).
DEMO_SCALE ?= 0.01
demo: all
	$(BUILD)/floe demo --scale $(DEMO_SCALE)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(INTEROP_GEN_OBJ:.o=.d) \
  $(FUZZ_BINS:=.d)
