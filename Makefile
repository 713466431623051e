# VictorySync — one entry point: build, test, run, bench, deps.
#   make            build build/vs-api (FastCGI worker pool) and build/vs-sync
#   make asan       the same under AddressSanitizer + UBSan, in build-asan/
#   make deps       install missing Debian + npm packages (no-op when present)
#   make run        deps + build + start MariaDB, workers, nginx, simulator; seed demo
#   make stop       stop what `make run` started
#   make test       deps + build + unit, API, browser tests (plain and ASan builds)
#   make bench      1M-call org, worker x thread sweep, wrk on every data route and the
#                   100k-call sync benchmark; tables in bench/RESULTS.md
#   make faults     fault run under wrk load (own stack), table in bench/RESULTS.md
#   make fuzz       libFuzzer targets of fuzz/ (clang), 60 s each: FUZZ_SECONDS=300 for longer;
#                   build-fuzz/, summary per target, fails on any crash (docs/fuzzing.md)
#   make install    install binaries, SQL, dashboard, units, nginx site, example config
#                   (PREFIX=/usr/local, DESTDIR=; see docs/operations.md)

CC       ?= cc
BUILD    ?= build
SANITIZE ?= 0
PKGS     := libcurl jansson libsodium
CFLAGS_BASE := -std=c17 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -pthread \
               -Icore -I. $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
               $(shell mariadb_config --cflags 2>/dev/null)
LDLIBS_BASE := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
               $(shell mariadb_config --libs 2>/dev/null) -lfcgi -pthread -lm
ifeq ($(SANITIZE),1)
  CFLAGS_BASE += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDLIBS_BASE += -fsanitize=address,undefined
endif
CFLAGS  := $(CFLAGS_BASE) $(EXTRA_CFLAGS)
LDLIBS  := $(LDLIBS_BASE)

CORE_SRC := $(sort $(wildcard core/*/*.c))
FCGI_SRC := $(sort $(wildcard fcgi/*.c fcgi/handlers/*.c))
SYNC_SRC := $(sort $(wildcard sync/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
# db_test_*: unit tests that need the test stack's MariaDB (VS_CONFIG); built
# with the others, run by scripts/test-all.sh once the database is migrated
DB_TEST_SRC := $(sort $(wildcard tests/unit/db_test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
FCGI_OBJ := $(FCGI_SRC:%.c=$(BUILD)/%.o)
SYNC_OBJ := $(SYNC_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
DB_TEST_BIN := $(DB_TEST_SRC:%.c=$(BUILD)/%)

.PHONY: all asan deps run stop test test-unit test-api bench clean install faults fuzz
all: $(BUILD)/vs-api $(BUILD)/vs-sync $(UNIT_BIN) $(DB_TEST_BIN)

asan:
	$(MAKE) BUILD=build-asan SANITIZE=1 all

$(BUILD)/libvscore.a: $(CORE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vs-api: $(FCGI_OBJ) $(BUILD)/libvscore.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/vs-sync: $(SYNC_OBJ) $(BUILD)/libvscore.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libvscore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libvscore.a $(LDLIBS) $(UNIT_LDFLAGS) -lcmocka
$(DB_TEST_BIN): tests/unit/db_check.h

# test_password sees every argon2 verify of password.c (the dummy verify for
# unknown e-mails must do the same work as a real one): linker --wrap.
$(BUILD)/tests/unit/test_password: UNIT_LDFLAGS := -Wl,--wrap=crypto_pwhash_str_verify

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

# fault run: wrk load + worker kill, MariaDB restart, faulted and SIGKILLed sync,
# malformed-request burst, consistency + valgrind checks (docs/faults.md)
# (FAULTS_ARGS=--asan: workers and sync from the ASan build)
faults: deps
	@$(MAKE) --no-print-directory all
	@case "$(FAULTS_ARGS)" in *--asan*) $(MAKE) --no-print-directory asan ;; esac
	@FAULTS_COMMAND="make faults$(if $(FAULTS_ARGS), FAULTS_ARGS=$(FAULTS_ARGS))" scripts/faults.sh $(FAULTS_ARGS)

# libFuzzer targets (fuzz/, docs/fuzzing.md): build with clang into build-fuzz/,
# run each (or FUZZ_TARGETS="jwt mc") for FUZZ_SECONDS, one at a time; non-zero
# exit on any crash.
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_TARGETS)

# The fuzz regression test replays fuzz/corpus and fuzz/regressions through the
# fuzz targets' entry points; the router and body targets need the route table,
# so it links vs-api's objects except main.o.
FUZZ_REG_OBJ := $(filter-out $(BUILD)/fcgi/main.o,$(FCGI_OBJ))
$(BUILD)/tests/unit/test_fuzz_regressions: tests/unit/test_fuzz_regressions.c $(wildcard fuzz/*.c fuzz/*.h) \
                                           $(FUZZ_REG_OBJ) $(BUILD)/libvscore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DVS_FUZZ_DIR='"$(CURDIR)/fuzz"' -o $@ $< $(FUZZ_REG_OBJ) $(BUILD)/libvscore.a $(LDLIBS) -lcmocka

# Unit tests of fcgi/ code (request input validation, query parameters, the SMS request edge)
# link the objects they test besides libvscore.a; every other test links only
# libvscore.a through the pattern rule above.
UNIT_FCGI_TESTS := test_input test_sms_input test_params
UNIT_FCGI_OBJ   := $(BUILD)/fcgi/http.o $(BUILD)/fcgi/input.o $(BUILD)/fcgi/sms_input.o $(BUILD)/fcgi/result_status.o $(BUILD)/fcgi/params.o
$(UNIT_FCGI_TESTS:%=$(BUILD)/tests/unit/%): $(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/http_check.h \
                                           $(UNIT_FCGI_OBJ) $(BUILD)/libvscore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(UNIT_FCGI_OBJ) $(BUILD)/libvscore.a $(LDLIBS) -lcmocka

clean:
	rm -rf build build-asan build-fuzz

# --- install ---------------------------------------------------------------
# Everything under $(PREFIX) except what has a fixed place: /etc/victorysync
# (config, credentials directory) and /etc/nginx (site + snippets). The units
# in systemd/ are written for PREFIX=/usr/local; they are rendered with the
# real prefix, so ExecStart= always names the installed binaries. Units go to
# $(PREFIX)/lib/systemd/system (both /usr/local/lib/... and /usr/lib/... are
# in systemd's search path; /etc/systemd/system stays the admin's). The config
# and the nginx site are never overwritten: a changed version lands next to
# them as *.new.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      := $(PREFIX)/bin
DATADIR     := $(PREFIX)/share/victorysync
DOCDIR      := $(PREFIX)/share/doc/victorysync
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
NGINX_SERVER_NAME ?= victorysync.example.com
NGINX_TLS_CERT    ?= /etc/letsencrypt/live/$(NGINX_SERVER_NAME)/fullchain.pem
NGINX_TLS_KEY     ?= /etc/letsencrypt/live/$(NGINX_SERVER_NAME)/privkey.pem
UPLOT_DIR   := node_modules/uplot

# install_conf SRC DEST MODE: install unless DEST exists; a different SRC goes to DEST.new
define install_conf
	if [ ! -e "$(2)" ]; then install -m $(3) "$(1)" "$(2)"; \
	elif ! cmp -s "$(1)" "$(2)"; then install -m $(3) "$(1)" "$(2).new"; echo "install: kept $(2); the new version is $(2).new"; fi
endef

install: $(BUILD)/vs-api $(BUILD)/vs-sync
	@test -f $(UPLOT_DIR)/dist/uPlot.esm.js || { echo "install: $(UPLOT_DIR) missing (make deps)" >&2; exit 1; }
	install -d -m 0755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/sql $(DESTDIR)$(DATADIR)/dashboard \
	  $(DESTDIR)$(DATADIR)/vendor/uplot $(DESTDIR)$(DOCDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
	  $(DESTDIR)/etc/victorysync $(DESTDIR)/etc/nginx/sites-available $(DESTDIR)/etc/nginx/snippets
	install -d -m 0700 $(DESTDIR)/etc/victorysync/credentials
	for b in vs-api vs-sync; do \
	  install -m 0755 $(BUILD)/$$b $(DESTDIR)$(BINDIR)/$$b.new && mv -f $(DESTDIR)$(BINDIR)/$$b.new $(DESTDIR)$(BINDIR)/$$b; done
	install -m 0644 sql/*.sql $(DESTDIR)$(DATADIR)/sql/
	cp -R dashboard/. $(DESTDIR)$(DATADIR)/dashboard/
	chmod -R u+rwX,go+rX,go-w $(DESTDIR)$(DATADIR)/dashboard
	install -m 0644 $(UPLOT_DIR)/dist/uPlot.esm.js $(UPLOT_DIR)/dist/uPlot.min.css $(UPLOT_DIR)/LICENSE \
	  $(DESTDIR)$(DATADIR)/vendor/uplot/
	install -m 0644 docs/*.md $(wildcard docs/openapi.yaml) $(DESTDIR)$(DOCDIR)/
	for f in systemd/*.service systemd/*.socket systemd/*.timer systemd/*.target; do \
	  sed -e 's#/usr/local/bin/#$(BINDIR)/#g' -e 's#/usr/local/share/#$(PREFIX)/share/#g' "$$f" \
	    > $(DESTDIR)$(UNITDIR)/$$(basename "$$f") && chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename "$$f") || exit 1; done
	install -D -m 0644 systemd/dropins/vs-api-supabase.conf $(DESTDIR)$(DOCDIR)/examples/vs-api-supabase.conf
	install -D -m 0644 systemd/dropins/vs-api-smtp.conf $(DESTDIR)$(DOCDIR)/examples/vs-api-smtp.conf
	install -m 0644 systemd/victorysync.sysusers $(DESTDIR)$(SYSUSERSDIR)/victorysync.conf
	@mkdir -p $(BUILD)
	scripts/render-nginx-site.sh $(PREFIX) $(NGINX_SERVER_NAME) $(NGINX_TLS_CERT) $(NGINX_TLS_KEY) > $(BUILD)/victorysync.nginx
	@$(call install_conf,$(BUILD)/victorysync.nginx,$(DESTDIR)/etc/nginx/sites-available/victorysync,0644)
	install -m 0644 nginx/fastcgi.conf $(DESTDIR)/etc/nginx/snippets/victorysync-fastcgi.conf
	install -m 0644 nginx/security-headers.conf $(DESTDIR)/etc/nginx/snippets/victorysync-security-headers.conf
	@$(call install_conf,systemd/victorysync.conf.example,$(DESTDIR)/etc/victorysync/victorysync.conf,0640)
	@if [ -z "$(DESTDIR)" ] && getent group victorysync >/dev/null; then chgrp victorysync /etc/victorysync/victorysync.conf; fi
	@echo "install: done (PREFIX=$(PREFIX)$(if $(DESTDIR), DESTDIR=$(DESTDIR))). Next steps: docs/operations.md, Deploy."
