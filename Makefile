# chitieu - build, test and run.  Plain make + pkg-config; see README.md.
#
#   make            build build/chitieu
#   make run        build, create the demo database if absent, print the demo logins, serve the web app
#   make test       unit tests + end-to-end CLI, server and browser tests, the store's suites again on
#                   PostgreSQL (make test-pg: a throw-away cluster), then again under ASan+UBSan,
#                   the multi-threaded tests (web, engine) under ThreadSanitizer, then a short run of
#                   every libFuzzer harness
#   make fuzz       build the libFuzzer harnesses (clang)
#   make bench      run the benchmarks in bench/
#   make deb        build the Debian package in build/deb (packaging/)

CC      ?= gcc
PKGS    := sqlite3 libpq jansson libutf8proc xlsxwriter libzip expat cairo libsodium freexl libgsf-1 libmicrohttpd libcurl pwquality liboath
BUILD   ?= build
SAN     ?=

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) $(PKG_CFLAGS) -Isrc
LDLIBS  += $(PKG_LIBS) -lm -lpthread
ifeq ($(SAN),1)
BUILD   := build/asan
CFLAGS  += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
ifeq ($(SAN),thread)
BUILD   := build/tsan
CFLAGS  += -O1 -fsanitize=thread
LDFLAGS += -fsanitize=thread
endif

SRC     := $(wildcard src/*.c)
LIBSRC  := $(filter-out src/main.c,$(SRC))
LIBOBJ  := $(LIBSRC:src/%.c=$(BUILD)/obj/%.o)
BIN     := $(BUILD)/chitieu
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)
FUZZSRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZBIN := $(FUZZSRC:tests/fuzz/%.c=build/fuzz/%)
DEMO_DB ?= chitieu.db

.PHONY: all deps run test check test-pg tsan unit e2e fuzz fuzz-smoke bench clean
all: $(BIN)

# Every package the build and the tests need; a no-op when all are installed.
deps:
	@./scripts/install-deps

$(BUILD)/obj/%.o: src/%.c src/*.h | $(BUILD)/obj
	$(CC) $(CFLAGS) -c $< -o $@

# The engine's inner loops (rows of 19 slots a year) are left to the vectoriser.
$(BUILD)/obj/engine.o $(BUILD)/obj/engine_load.o $(BUILD)/obj/engine_conv.o: CFLAGS += -O3

$(BUILD)/libchitieu.a: $(LIBOBJ)
	ar rcs $@ $^

# The demo CSV files are embedded in the binary (tools/embed.c writes them as C arrays).
DEMO_CSV := $(sort $(wildcard data/demo/*.csv))
build/embed: tools/embed.c
	@mkdir -p build
	gcc -O1 -o $@ $<
# The web application's static files and the OpenAPI document travel the same way.
STATIC := $(sort $(wildcard share/static/*)) docs/openapi.json
$(BUILD)/demo_data.c: $(DEMO_CSV) $(STATIC) build/embed | $(BUILD)/obj
	build/embed $@ $(foreach f,$(DEMO_CSV),$(notdir $(f))=$(f)) \
	  $(foreach f,$(filter share/static/%,$(STATIC)),static/$(notdir $(f))=$(f)) openapi.json=docs/openapi.json
$(BUILD)/obj/demo_data.o: $(BUILD)/demo_data.c src/demo.h
	$(CC) $(CFLAGS) -c $< -o $@

$(BIN): $(BUILD)/obj/main.o $(BUILD)/obj/demo_data.o $(BUILD)/libchitieu.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(BUILD)/libchitieu.a $(BUILD)/obj/demo_data.o | $(BUILD)/tests
	$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/libchitieu.a $(BUILD)/obj/demo_data.o $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests build/fuzz:
	mkdir -p $@

LISTEN ?= 127.0.0.1:8080
run: deps $(BIN)
	@test -f $(DEMO_DB) || ./$(BIN) demo --db $(DEMO_DB)
	@./$(BIN) demo --db $(DEMO_DB) --users
	@./$(BIN) demo --logins
	@./$(BIN) serve --db $(DEMO_DB) --listen $(LISTEN)

# One pass of the suite with the current flags (plain or SAN=1). Under SAN=1 the kill -9 crash
# test, the package, browser and API suites are left out: they test what the plain pass tests
# (durability, files, pages) and the sanitizers see the same code run by the other e2e suites.
check: export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
check: $(BIN) $(TESTBIN)
	@set -e; for t in $(TESTBIN); do echo "== $$t"; CHITIEU_TEST_DATA=$${CHITIEU_TEST_DATA:-tests/data} $$t; done
	@echo "== tests/e2e/run.sh"; CHITIEU=$(BIN) tests/e2e/run.sh
	@echo "== tests/e2e/class.sh"; CHITIEU=$(BIN) tests/e2e/class.sh
	@echo "== tests/e2e/web.sh"; CHITIEU=$(BIN) tests/e2e/web.sh
	@echo "== tests/e2e/web.sh (engine)"; CHITIEU=$(BIN) CHITIEU_TEST_CELLS=engine tests/e2e/web.sh
	@echo "== tests/e2e/upgrade.sh"; CHITIEU=$(BIN) tests/e2e/upgrade.sh
	@echo "== tests/e2e/backup.sh"; CHITIEU=$(BIN) tests/e2e/backup.sh
	@if [ "$(SAN)" != 1 ]; then echo "== tests/e2e/crash.sh"; CHITIEU=$(BIN) tests/e2e/crash.sh; fi
	@echo "== tests/e2e/ops.sh"; CHITIEU=$(BIN) tests/e2e/ops.sh
	@if [ "$(SAN)" != 1 ]; then echo "== tests/e2e/deb.sh"; CHITIEU=$(BIN) tests/e2e/deb.sh; fi
	@if [ "$(SAN)" != 1 ]; then echo "== tests/browser/run.sh"; CHITIEU=$(BIN) tests/browser/run.sh; fi
	@if [ "$(SAN)" != 1 ]; then echo "== tests/api/run.sh"; CHITIEU=$(BIN) tests/api/run.sh; fi

# The store's suites on PostgreSQL: a throw-away PostgreSQL 15 cluster in a temporary directory
# (tests/pg/cluster.sh), the store's comparison with SQLite (test_store_pg), then the CLI, class
# and server end-to-end suites with every database path mapped into it (tests/pg/chitieu.sh);
# the cluster is removed after, pass or fail.
test-pg: $(BIN) $(BUILD)/tests/test_store_pg
	@set -e; out=$$(tests/pg/cluster.sh start); dir=$$(echo "$$out" | sed -n 1p); \
	  trap 'tests/pg/cluster.sh stop "$$dir"' EXIT; \
	  export CHITIEU_PG_CLUSTER="$$dir" CHITIEU_PG_BIN=$(CURDIR)/$(BIN); \
	  echo "== $(BUILD)/tests/test_store_pg"; \
	  CHITIEU_TEST_PG=$$(echo "$$out" | sed -n 2p) $(BUILD)/tests/test_store_pg; \
	  echo "== tests/e2e/run.sh (pg)"; CHITIEU_TEST_PG=1 CHITIEU=tests/pg/chitieu.sh tests/e2e/run.sh; \
	  echo "== tests/e2e/class.sh (pg)"; CHITIEU_TEST_PG=1 CHITIEU=tests/pg/chitieu.sh tests/e2e/class.sh; \
	  echo "== tests/e2e/web.sh (pg)"; CHITIEU_TEST_PG=1 CHITIEU=tests/pg/chitieu.sh tests/e2e/web.sh; \
	  echo "== tests/pg/twoserver.sh"; tests/pg/twoserver.sh

# The tests whose code runs on several threads (the web app's reloader and request threads, the
# engine's workers), under ThreadSanitizer: any data race fails them.
TSANTESTS := $(BUILD)/tests/test_web $(BUILD)/tests/test_web_image $(BUILD)/tests/test_store_ckpt $(BUILD)/tests/test_engine $(BUILD)/tests/test_engine_conv $(BUILD)/tests/test_http $(BUILD)/tests/test_ops
# (Run with address-space randomisation off where allowed: TSan needs its fixed memory layout.)
tsan: $(TSANTESTS)
	@set -e; norand=$$(setarch $$(uname -m) -R true 2>/dev/null && echo "setarch $$(uname -m) -R"); \
	  for t in $(TSANTESTS); do echo "== tsan $$t"; \
	  TSAN_OPTIONS=halt_on_error=1:exitcode=66 CHITIEU_TEST_DATA=tests/data $$norand $$t; done

# Static analysis of src/ (docs/internals/analysis.md): any finding not reviewed into
# tests/cppcheck/suppressions.xml fails.
.PHONY: analyze
analyze:
	@mkdir -p build/cppcheck
	cppcheck -j2 --quiet --error-exitcode=1 --std=c11 -D_DEFAULT_SOURCE -Isrc --cppcheck-build-dir=build/cppcheck \
	  --enable=warning,portability,performance --library=posix --library=tests/cppcheck/jansson.cfg \
	  --rule-file=tests/cppcheck/eval-order.rule --suppress-xml=tests/cppcheck/suppressions.xml src/

# Each part's builds run on every core (its tests run one after another, as before).
NPROC := $(shell nproc 2>/dev/null || echo 2)
test: deps
	@mkdir -p build
	@set -e; { echo "== make analyze" && $(MAKE) --no-print-directory -j$(NPROC) analyze && \
	  echo "== make check" && $(MAKE) --no-print-directory -j$(NPROC) check && \
	  echo "== make test-pg" && $(MAKE) --no-print-directory -j$(NPROC) test-pg && \
	  echo "== make check SAN=1" && $(MAKE) --no-print-directory -j$(NPROC) check SAN=1 && \
	  echo "== make tsan SAN=thread" && $(MAKE) --no-print-directory -j$(NPROC) tsan SAN=thread && \
	  echo "== make fuzz-smoke" && $(MAKE) --no-print-directory -j$(NPROC) fuzz-smoke; } 2>&1 | tests/stamp.pl build/test.times | tee build/test.log; \
	  status=$$(grep -c '^make.*Error' build/test.log || true); \
	  tests/summary.sh build/test.log build/test.times; test "$$status" = 0

fuzz: $(FUZZBIN)
FUZZLIB := $(filter-out src/cmd_% src/cli.c src/page% src/web% src/api.c,$(LIBSRC))
FUZZOBJ := $(FUZZLIB:src/%.c=build/fuzz/obj/%.o)
FUZZCC  := clang -std=c11 -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra -Werror -Isrc $(PKG_CFLAGS)
# The library is compiled once with coverage instrumentation; each harness links against it.
build/fuzz/obj/%.o: src/%.c src/*.h | build/fuzz
	@mkdir -p build/fuzz/obj
	$(FUZZCC) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/libfuzz.a: $(FUZZOBJ)
	ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libfuzz.a | build/fuzz
	$(FUZZCC) -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libfuzz.a $(PKG_LIBS) -lm -lpthread

# Each harness runs for a few seconds from its seed corpus: a smoke test, not a campaign.
fuzz-smoke: $(FUZZBIN)
	@set -e; for f in $(FUZZBIN); do n=$$(basename $$f); echo "== fuzz $$n"; \
	  mkdir -p build/fuzz/corpus-$$n; \
	  $$f -max_total_time=5 -timeout=5 -rss_limit_mb=2048 build/fuzz/corpus-$$n tests/fuzz/corpus/$${n#fuzz_} 2>build/fuzz/$$n.log \
	    || { tail -n 40 build/fuzz/$$n.log; exit 1; }; \
	  grep -E '^Done' build/fuzz/$$n.log || true; done

# The Debian package: binary, systemd unit, /etc/chitieu/chitieu.conf (packaging/, docs/deploy.md).
.PHONY: deb
deb: $(BIN)
	@packaging/mkdeb.sh $(BIN) build/deb

bench: $(BIN)
	@bench/import/run.sh
	@CHITIEU=$(BIN) bench/http/run.sh
	@bench/engine/run.sh S M

# chitieu on PostgreSQL (a throw-away cluster): import of M against psql \copy, the engine's load
# (bench/pg/run.sh; `bench/pg/run.sh L` for the country).  Not part of make bench or make test.
.PHONY: bench-pg
bench-pg: $(BIN)
	@bench/pg/run.sh M

clean:
	rm -rf build
