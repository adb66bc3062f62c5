# Makefile — newsarc. Targets: all test asan fuzz fuzz-build soak bench bench-crawl bench-million demo install clean.
# Every dependency comes through pkg-config; build output goes to build/ (or
# build-asan/, build-fuzz/), never into the source folders.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
# The pkg-config packages: one list in mk/pkgs, read by the scripts that build too.
PKGS    := $(shell grep -v "^#" mk/pkgs)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-format-nonliteral
CSTD    := -std=gnu11
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -I. -D_GNU_SOURCE
CFLAGS  += $(CSTD) $(OPT) $(WARN) $(PKG_CFLAGS) $(SAN) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(sort $(wildcard util/*.c parser/*.c store/*.c crawler/*.c web/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := tests/run.c $(sort $(wildcard tests/unit/*.c)) cli/when.c cli/eta.c cli/shard.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

BIN   := $(BUILD)/newsarc
TESTS := $(BUILD)/run-tests
LIBA  := $(BUILD)/libnewsarc.a

.PHONY: all deps test asan fuzz fuzz-build soak bench bench-crawl bench-million demo install clean check-deps

all: check-deps $(BIN)

check-deps:
	@pkg-config --exists $(PKGS) || { echo "missing libraries: run 'mk/deps.sh build' (make test and make demo do it for you)" >&2; exit 1; }

# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIBA)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(LDLIBS)

$(TESTS): $(TEST_OBJ) $(LIBA)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIBA) $(LDLIBS)

# The tests' and benchmarks' helper programs (tests/tools/NAME.c, one file
# each, linked with the library): build/tools/NAME.
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(wildcard tests/tools/*.c))
$(BUILD)/tools/%: tests/tools/%.c $(LIBA)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

# The whole suite: unit cases, tests/scripts/*.sh, the fuzz seed replay and
# the quality gate. Ends with "N passed, N failed".
test:
	@mk/deps.sh test
	@$(MAKE) --no-print-directory $(BIN) $(TESTS) $(TOOLS)
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) NA_BUILD=$(CURDIR)/$(BUILD) $(TESTS) $(T)

asan:
	@mk/deps.sh asan
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" build-asan/newsarc build-asan/run-tests \
	    $(patsubst $(BUILD)/%,build-asan/%,$(TOOLS))
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/build-asan/newsarc NA_BUILD=$(CURDIR)/build-asan NA_ASAN=1 \
	    build-asan/run-tests $(T)

# Each tests/fuzz/fuzz_NAME.c is built with libFuzzer+ASan+UBSan (UBSan
# findings abort) and run for FUZZ_SECONDS (default 60) by tests/fuzz/run.sh,
# with its corpus in build-fuzz/corpus-NAME seeded from tests/fuzz/seeds-NAME.
# A unit slower than FUZZ_TIMEOUT seconds (default 10) or above 2 GB RSS is a
# finding. FUZZ_TARGETS picks targets by name (default: all), FUZZ_JOBS runs
# that many at once (default 1), e.g.
#   FUZZ_TARGETS="fuzz_url fuzz_date" FUZZ_JOBS=2 FUZZ_SECONDS=600 nice make fuzz
# `make fuzz-build` only builds them (build-fuzz/fuzz_NAME, run by hand).
FUZZ_ALL := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_JOBS ?= 1
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined

fuzz-build:
	@mk/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" build-fuzz/libnewsarc.a
	@for t in $(FUZZ_TARGETS); do \
	  clang $(CSTD) -O1 -g -I. -D_GNU_SOURCE $(PKG_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) \
	    -o build-fuzz/$$t tests/fuzz/$$t.c build-fuzz/libnewsarc.a $(PKG_LIBS) -lpthread -lm || exit 1; \
	done

fuzz: fuzz-build
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -n 1 tests/fuzz/run.sh

# A bounded soak (minutes): SOAK_RUNS cron-style crawls of a generated site
# behind a faulty fixture server, kill -9 every SOAK_KILL_EVERY runs; checks
# verify, RSS, open files and that every article served is archived once.
soak: $(BIN)
	@mk/deps.sh test
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) NA_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/soak.sh

bench: $(BIN)
	@mk/deps.sh bench
	@$(MAKE) --no-print-directory $(BUILD)/bench-parse $(TOOLS)
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) NA_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/bench.sh

# An archive of a million articles (tests/bench/bench-million.sh): the read
# commands timed against the goals of issue 12. Also the end of make bench.
bench-million: $(BIN) $(BUILD)/tools/mkindex
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) NA_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/bench-million.sh

bench-crawl: $(BIN)
	@mk/deps.sh bench
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) NA_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/bench-crawl.sh

$(BUILD)/bench-parse: tests/bench/bench_parse.c $(LIBA)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

demo:
	@mk/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	NA_SRCDIR=$(CURDIR) NA_BIN=$(CURDIR)/$(BIN) bash demo/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/doc/newsarc/systemd
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/newsarc
	install -m 644 docs/newsarc.1 $(DESTDIR)$(PREFIX)/share/man/man1/newsarc.1
	if [ -f docs/sites.conf.5 ]; then install -m 644 docs/sites.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/sites.conf.5; fi
	install -m 644 sites.conf $(DESTDIR)$(PREFIX)/share/doc/newsarc/sites.conf.example
	install -m 644 README.md docs/archive-format.md docs/scheduling.md $(DESTDIR)$(PREFIX)/share/doc/newsarc/
	install -m 644 docs/systemd/newsarc-crawl.service docs/systemd/newsarc-crawl.timer \
	    $(DESTDIR)$(PREFIX)/share/doc/newsarc/systemd/
	@sed -i 's|/usr/local/bin/newsarc|$(PREFIX)/bin/newsarc|' $(DESTDIR)$(PREFIX)/share/doc/newsarc/systemd/newsarc-crawl.service

clean:
	rm -rf build build-asan build-fuzz

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d)
