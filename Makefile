# floe: a plain GNU Makefile (see docs/build.md).
#
# Source lists are explicit, one fragment per layer (src/<layer>/*.mk and
# tests/unit/<layer>/*.mk), as Valkey lists its sources. Objects go to an
# out-of-tree build directory: build/ (release), build/asan (sanitizers).

PKGS := libzstd zlib liblz4 libbrotlidec libbrotlienc snappy
VERSION := 0.1.0

BUILD ?= build
CC ?= cc
OPT ?= -O2
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -g $(OPT) -Wall -Wextra -Werror -MMD -MP \
  -Iinclude -DFLOE_VERSION=\"$(VERSION)\" $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS_ALL := $(CFLAGS_BASE) $(EXTRA_CFLAGS)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
LDFLAGS_ALL := $(EXTRA_LDFLAGS)

# Layer fragments append to LIB_SRC, CLI_SRC, UNIT_SRC, FUZZ_TARGETS.
LIB_SRC :=
CLI_SRC :=
UNIT_SRC :=
FUZZ_TARGETS :=
include $(sort $(wildcard src/*/*.mk src/*/*/*.mk tests/unit/*/*.mk tests/unit/*.mk))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/unit/runner.o

.PHONY: all deps test unit interop asan fuzz bench demo clean
all: deps $(BUILD)/floe

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

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# `make test`: every suite: C unit tests (incl. the fixture corpora) and the
# interop tests against DuckDB and hyparquet.
test: deps $(BUILD)/test_unit $(BUILD)/floe
	$(BUILD)/test_unit
	bash tests/interop/run.sh $(BUILD)/floe

unit: $(BUILD)/test_unit
	$(BUILD)/test_unit $(T)

interop: $(BUILD)/floe
	bash tests/interop/run.sh $(BUILD)/floe

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps
	$(MAKE) BUILD=build/asan OPT=-O1 \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" build/asan/test_unit build/asan/floe
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/asan/test_unit

# libFuzzer targets (clang); FUZZ_SECONDS per target (default 60).
FUZZ_SECONDS ?= 60
fuzz: deps
	bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: all
	bash bench/run.sh $(BUILD)/floe

demo: all
	bash scripts/demo.sh $(BUILD)/floe

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
