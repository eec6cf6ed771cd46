# edgar8k build. `make` builds the CLI and the static library; `make test`
# runs the whole suite; `make check` runs it under ASan+UBSan; `make run`
# runs the main job on a bundled fixture. Missing Debian packages are
# installed by tools/install-deps before anything is compiled.

CC      ?= cc
BUILD   ?= build
PKGS    := libpcre2-8 libxml-2.0 libcurl jansson sqlite3 libpq libarchive zlib
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
OPT     ?= -O2 -g
SAN     ?=
# Recursive (=) so pkg-config runs after the deps step has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc $(PKG_CFLAGS)
CFLAGS_ALL   = $(WARN) $(OPT) $(SAN) $(CPPFLAGS_ALL) $(CFLAGS)
LDLIBS_ALL   = $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(wildcard src/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_OBJ := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%.o)

LIB := $(BUILD)/libedgar8k.a
BIN := $(BUILD)/edgar8k
UNIT := $(BUILD)/unit-tests

.PHONY: all deps test test-only check run bench fuzz fuzz-build eval clean
.DEFAULT_GOAL := all

all: $(LIB) $(BIN)

deps:
	@tools/install-deps --check 2>/dev/null || tools/install-deps

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c src/edgar8k.h $(wildcard cli/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c $(wildcard src/*.h tests/unit/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-pedantic -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(UNIT): $(TEST_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS_ALL) -lcriterion

# The whole suite: unit tests (Criterion), grammar checks, CLI fixtures,
# the review page in headless Chromium.
test: deps
	@$(MAKE) --no-print-directory test-only

test-only: all $(UNIT)
	E8K_BIN=$(BIN) E8K_ROOT=$(CURDIR) $(UNIT) --jobs 2
	E8K_BIN=$(BIN) sh tests/cli/run.sh
	E8K_BIN=$(BIN) sh tests/report/run.sh
	E8K_BIN=$(BIN) sh tests/fetch/run.sh
	E8K_BIN=$(BIN) tools/grammar-check $(if $(SAN),--max-ms 250,)
	E8K_BIN=$(BIN) sh tests/records/run.sh
	E8K_BIN=$(BIN) E8K_UNIT=$(UNIT) sh tests/store/run.sh

check: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    test-only

run: deps all
	tools/run-demo $(BIN) edgar8k.db

bench: deps all
	@$(MAKE) --no-print-directory -C bench BUILD=$(CURDIR)/$(BUILD)

fuzz-build: deps
	@$(MAKE) --no-print-directory -C tests/fuzz

# Each fuzz target for FUZZ_SECONDS (default 60) with the corpus as seeds.
fuzz: fuzz-build
	@$(MAKE) --no-print-directory -C tests/fuzz run

clean:
	rm -rf build tests/fuzz/build

# Extraction against the hand-checked labels (../shared/corpus/labels).
eval: deps all
	E8K_ROOT=$(CURDIR) tools/eval --bin $(BIN)
