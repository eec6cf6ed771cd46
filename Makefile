# SPDX-License-Identifier: MIT
# edgar8k build. `make` builds the CLI, the static and the shared library,
# the man page and the bash completion with the libraries pkg-config finds;
# `make test` runs the whole suite; `make check` runs it under ASan+UBSan;
# `make run` runs the main job on the bundled fixtures; `make install` and
# `make uninstall` take PREFIX and DESTDIR. Whatever a target needs and the
# machine lacks is installed by tools/install-deps on Debian, and named in
# a clear message elsewhere.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR      = $(PREFIX)/bin
LIBDIR      = $(PREFIX)/lib
INCLUDEDIR  = $(PREFIX)/include
DATADIR     = $(PREFIX)/share/edgar8k
MANDIR      = $(PREFIX)/share/man
DOCDIR      = $(PREFIX)/share/doc/edgar8k
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

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

# The library's version is E8K_VERSION; its soname changes with the major
# number (0 while the interface may still change).
VERSION := $(shell sed -n 's/^\#define E8K_VERSION "\(.*\)"/\1/p' src/edgar8k.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME  := libedgar8k.so.$(SOMAJOR)

LIB_SRC  := $(wildcard src/*.c)
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
DOCS_OBJ := $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJ)) $(BUILD)/cli/gen-docs.o
TEST_SRC := $(wildcard tests/unit/*.c)
TEST_OBJ := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%.o)

LIB   := $(BUILD)/libedgar8k.a
SO    := $(BUILD)/libedgar8k.so.$(VERSION)
BIN   := $(BUILD)/edgar8k
UNIT  := $(BUILD)/unit-tests
MAN   := $(BUILD)/edgar8k.1
COMPL := $(BUILD)/edgar8k.bash

.PHONY: all deps test-deps run-deps all-deps test test-only check run \
        bench fuzz fuzz-build eval clean install uninstall
.DEFAULT_GOAL := all

all: $(LIB) $(SO) $(BIN) $(MAN) $(COMPL)

# What building needs (pkg-config finds the libraries, or on Debian their
# packages get installed); tests, the demo and sanitizers need more.
deps:
	@tools/install-deps build
test-deps:
	@tools/install-deps test
run-deps:
	@tools/install-deps run
all-deps:
	@tools/install-deps all

# -fPIC: the same objects make the static and the shared library.
$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -fPIC -c $< -o $@

$(BUILD)/cli/%.o: cli/%.c src/edgar8k.h $(wildcard cli/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -DE8K_DATADIR='"$(DATADIR)"' -c $< -o $@

$(BUILD)/cli/gen-docs.o: tools/gen-docs.c src/edgar8k.h $(wildcard cli/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Icli -c $< -o $@

$(BUILD)/tests/%.o: tests/unit/%.c $(wildcard src/*.h tests/unit/*.h) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Wno-pedantic -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Only the functions edgar8k.h declares are exported: the version script
# lists every e8k_ name the public header declares.
$(BUILD)/edgar8k.map: src/edgar8k.h
	@mkdir -p $(@D)
	{ echo '{ global:'; \
	  grep -o '\be8k_[a-z0-9_]*(' $< | tr -d '(' | sort -u | sed 's/$$/;/'; \
	  echo 'local: *; };'; } >$@

$(SO): $(LIB_OBJ) $(BUILD)/edgar8k.map
	$(CC) -shared $(OPT) $(SAN) -Wl,-soname,$(SONAME) \
	    -Wl,--version-script=$(BUILD)/edgar8k.map -o $@ $(LIB_OBJ) $(LDLIBS_ALL)
	ln -sf libedgar8k.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libedgar8k.so

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/gen-docs: $(DOCS_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(DOCS_OBJ) $(LIB) $(LDLIBS_ALL)

# The man page and the completion come from the tables --help prints.
$(MAN): $(BUILD)/gen-docs
	$(BUILD)/gen-docs man >$@.tmp && mv $@.tmp $@
$(COMPL): $(BUILD)/gen-docs
	$(BUILD)/gen-docs bash >$@.tmp && mv $@.tmp $@

$(UNIT): $(TEST_OBJ) $(LIB)
	$(CC) $(OPT) $(SAN) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS_ALL) -lcriterion

# The whole suite: the architecture's claims (tools/check-src), unit tests
# (Criterion), grammar checks (the examples run through the rules, the
# rules' leads proved from their patterns, and the examples found in the
# ../shared files they name: a check that skips without ../shared), CLI
# fixtures, filters and output, the review page in headless Chromium,
# records, the database, installation.
test: test-deps
	@$(MAKE) --no-print-directory test-only

test-only: all $(UNIT)
	tools/check-spdx
	tools/check-src --bin $(BIN)
	E8K_BIN=$(BIN) E8K_ROOT=$(CURDIR) $(UNIT) --jobs 2
	E8K_BIN=$(BIN) sh tests/cli/run.sh
	E8K_BIN=$(BIN) sh tests/report/run.sh
	E8K_BIN=$(BIN) sh tests/fetch/run.sh
	E8K_BIN=$(BIN) tools/grammar-check $(if $(SAN),--max-ms 250,)
	tools/grammar-lead
	E8K_BIN=$(BIN) tools/grammar-provenance
	E8K_BIN=$(BIN) sh tests/records/run.sh
	E8K_BIN=$(BIN) E8K_UNIT=$(UNIT) sh tests/store/run.sh
	$(if $(SAN),,BUILD=$(BUILD) sh tests/install/run.sh)

check: test-deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    test-only

run: run-deps all
	@tools/run-demo $(BIN) edgar8k.db

bench: all-deps all
	@$(MAKE) --no-print-directory -C bench BUILD=$(CURDIR)/$(BUILD)

fuzz-build: all-deps
	@$(MAKE) --no-print-directory -C tests/fuzz

# Each fuzz target for FUZZ_SECONDS (default 60) with the corpus as seeds.
fuzz: fuzz-build
	@$(MAKE) --no-print-directory -C tests/fuzz run

clean:
	rm -rf build tests/fuzz/build

# Extraction against the hand-checked labels (../shared/corpus/labels).
eval: deps all
	E8K_ROOT=$(CURDIR) tools/eval --bin $(BIN)

# ---- installation --------------------------------------------------------------
# The binary finds the grammars through its own location (BINDIR/../share),
# so an installed tree may be moved; DESTDIR stages a package.

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DATADIR)/grammars \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DOCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/edgar8k
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libedgar8k.a
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/libedgar8k.so.$(VERSION)
	ln -sf libedgar8k.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libedgar8k.so
	install -m 644 src/edgar8k.h src/e8k_limits.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@PKGS@|$(PKGS)|' edgar8k.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/edgar8k.pc
	install -m 644 grammars/grammar.xsd grammars/*.xml $(DESTDIR)$(DATADIR)/grammars/
	install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/edgar8k.1
	install -m 644 $(COMPL) $(DESTDIR)$(BASHCOMPDIR)/edgar8k
	install -m 644 LICENSE README.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/edgar8k $(DESTDIR)$(LIBDIR)/libedgar8k.a \
	    $(DESTDIR)$(LIBDIR)/libedgar8k.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libedgar8k.so \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/edgar8k.pc \
	    $(DESTDIR)$(INCLUDEDIR)/edgar8k.h $(DESTDIR)$(INCLUDEDIR)/e8k_limits.h \
	    $(DESTDIR)$(MANDIR)/man1/edgar8k.1 $(DESTDIR)$(BASHCOMPDIR)/edgar8k \
	    $(DESTDIR)$(DOCDIR)/LICENSE $(DESTDIR)$(DOCDIR)/README.md
	rm -rf $(DESTDIR)$(DATADIR)
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
