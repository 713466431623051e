# VictorySync — one entry point: build, test, run, bench, deps.
#   make            build build/vs-api (FastCGI worker pool) and build/vs-sync
#   make asan       the same under AddressSanitizer + UBSan, in build-asan/
#   make deps       install missing Debian + npm packages (no-op when present)
#   make run        deps + build + start MariaDB, workers, nginx, simulator; seed demo
#   make stop       stop what `make run` started
#   make test       deps + build + unit, API, browser tests (plain and ASan builds)
#   make bench      wrk benchmarks against a running stack, tables in bench/RESULTS.md

CC       ?= cc
BUILD    ?= build
SANITIZE ?= 0
PKGS     := libcurl jansson libsodium
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -pthread \
               -Icore $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
               $(shell mariadb_config --cflags 2>/dev/null)
LDLIBS_BASE := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
               $(shell mariadb_config --libs 2>/dev/null) -lfcgi -pthread -lm
ifeq ($(SANITIZE),1)
  CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDLIBS_BASE += -fsanitize=address,undefined
endif
CFLAGS  := $(CFLAGS_BASE) $(EXTRA_CFLAGS)
LDLIBS  := $(LDLIBS_BASE)

CORE_SRC := $(sort $(wildcard core/*.c))
FCGI_SRC := $(sort $(wildcard fcgi/*.c fcgi/handlers/*.c))
SYNC_SRC := $(sort $(wildcard sync/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
FCGI_OBJ := $(FCGI_SRC:%.c=$(BUILD)/%.o)
SYNC_OBJ := $(SYNC_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)

.PHONY: all asan deps run stop test test-unit test-api bench clean
all: $(BUILD)/vs-api $(BUILD)/vs-sync $(UNIT_BIN)

asan:
	$(MAKE) BUILD=build-asan SANITIZE=1 all

$(BUILD)/libvscore.a: $(CORE_OBJ)
	ar rcs $@ $^

$(BUILD)/vs-api: $(FCGI_OBJ) $(BUILD)/libvscore.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/vs-sync: $(SYNC_OBJ) $(BUILD)/libvscore.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libvscore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvscore.a $(LDLIBS) -lcmocka

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(CORE_OBJ:.o=.d) $(FCGI_OBJ:.o=.d) $(SYNC_OBJ:.o=.d)

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/stack.sh start run
	@scripts/demo-seed.sh run

stop:
	@scripts/stack.sh stop run

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory asan
	@scripts/test-all.sh

bench:
	@bench/run.sh

clean:
	rm -rf build build-asan
