# ipsweep - concurrent ICMP ping sweeper.  GNU make.
#
#   make            build ./ipsweep
#   make check      install what the tests need, build, run every test
#   make demo       install what is needed, sweep the shipped ranges in a lab
#   make lab-shell  a shell in the demo lab's scanner namespace
#   make bench      ipsweep against fping, nmap and a raw sender in the lab
#   make install    PREFIX, DESTDIR, SYSCONFDIR, SYSTEMDUNITDIR, BASHCOMPDIR
#   make deb        the Debian package, in build/deb/

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR   ?=

CC        ?= cc
CFLAGS    ?= -O2 -g
PKG_CONFIG ?= pkg-config

WARNINGS  = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2
# Recursive (=) so that pkg-config runs only when a recipe needs it, after
# `make deps` had its chance to install it.
POPT_CFLAGS  = $(shell $(PKG_CONFIG) --cflags popt)
POPT_LIBS    = $(shell $(PKG_CONFIG) --libs popt)
CARES_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcares)
CARES_LIBS   = $(shell $(PKG_CONFIG) --libs libcares)
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check)
LIBCAP_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcap)
LIBCAP_LIBS   = $(shell $(PKG_CONFIG) --libs libcap)
LIBMNL_CFLAGS = $(shell $(PKG_CONFIG) --cflags libmnl)
LIBMNL_LIBS   = $(shell $(PKG_CONFIG) --libs libmnl)
# The history database: SQLite (the default) and PostgreSQL's libpq.
HIST_CFLAGS  = $(shell $(PKG_CONFIG) --cflags sqlite3 libpq)
HIST_LIBS    = $(shell $(PKG_CONFIG) --libs sqlite3 libpq)
LIB_CFLAGS   = $(POPT_CFLAGS) $(CARES_CFLAGS) $(LIBCAP_CFLAGS) \
	       $(LIBMNL_CFLAGS) $(HIST_CFLAGS)
LIBS         = $(POPT_LIBS) $(CARES_LIBS) $(LIBCAP_LIBS) $(LIBMNL_LIBS) \
	       $(HIST_LIBS)

# Hardening by default (the binary may hold cap_net_raw): PIE, stack
# protector, full RELRO, and _FORTIFY_SOURCE=2 when CFLAGS optimise (it
# needs that) unless the user's CPPFLAGS or CFLAGS (dpkg-buildflags' among
# them) set it already.  The user's flags come after these, so they win;
# HARDEN_CFLAGS= etc. turn them off.
HARDEN_CPPFLAGS ?= $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,\
		   $(if $(filter -O -O1 -O2 -O3 -Os -Og -Ofast,$(CFLAGS)),\
		   -D_FORTIFY_SOURCE=2))
# cc_has FLAG: FLAG when $(CC) accepts it (-fcf-protection is x86 only)
cc_has = $(shell $(CC) -Werror $(1) -E -x c /dev/null >/dev/null 2>&1 && \
	 echo $(1))
ifeq ($(origin HARDEN_CFLAGS),undefined)
HARDEN_CFLAGS := -fPIE -fstack-protector-strong \
		 $(call cc_has,-fstack-clash-protection) \
		 $(call cc_has,-fcf-protection)
endif
HARDEN_LDFLAGS ?= -pie -Wl,-z,relro -Wl,-z,now

ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DIPSWEEP_VERSION='"$(VERSION)"' \
	       -DIPSWEEP_SYSCONFDIR='"$(SYSCONFDIR)"' $(HARDEN_CPPFLAGS) \
	       $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(WARNINGS) $(HARDEN_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(HARDEN_LDFLAGS) $(LDFLAGS)

BUILD     = build
BIN       = ipsweep
FUZZERS   = config targets icmp record lease ipamcsv
FUZZ_SECONDS ?= 60
SRCS      = $(wildcard src/*.c)
OBJS      = $(SRCS:src/%.c=$(BUILD)/%.o)
LIB_OBJS  = $(filter-out $(BUILD)/main.o,$(OBJS))
TEST_SRCS = $(wildcard tests/check_*.c)
# tests/testutil.c: helpers the suites share (no suite of its own)
TEST_OBJS = $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%.o) $(BUILD)/tests/testutil.o
# The same program with its test hooks (IPSWEEP_TEST_HOOKS: knobs read
# from the environment, such as IPSWEEP_TEST_RCVBUF), every source compiled
# again into $(HOOK_BUILD).  Only the lab tests that need a knob run it
# (make lab-tests names it in IPSWEEP_TEST_BIN); $(BIN) itself has none.
HOOK_BUILD = $(BUILD)/hooks
HOOK_OBJS = $(SRCS:src/%.c=$(HOOK_BUILD)/%.o)
HOOK_BIN  = $(HOOK_BUILD)/ipsweep

# Packages the build, the tests and the lab need (Debian names).
DEPS_PKGS = gcc make pkg-config libpopt-dev check iproute2 nftables \
	    iputils-ping util-linux groff-base libcap2-bin procps python3 \
	    valgrind libcap-dev libmnl-dev systemd bash-completion \
	    debhelper dpkg-dev fakeroot lintian libc-ares-dev dnsmasq-base \
	    libsqlite3-dev sqlite3 libpq-dev postgresql

.PHONY: all deps check test unit cli lab-tests demo lab-shell bench \
	install uninstall clean fuzz fuzz-replay check-asan asan-test \
	install-caps test-bin units-test unpriv-test deb

all: $(BIN)

# test-bin -- $(HOOK_BIN), for running a hook-using lab test by hand
test-bin: $(HOOK_BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(LIB_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(HOOK_BIN): $(HOOK_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(HOOK_OBJS) $(LIBS)

$(HOOK_BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DIPSWEEP_TEST_HOOKS $(LIB_CFLAGS) \
	    $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The unit-test runner: every tests/check_NAME.c defines NAME_suite().
$(BUILD)/tests/suites.inc: $(TEST_SRCS)
	@mkdir -p $(@D)
	@for f in $(TEST_SRCS); do n=$${f#tests/check_}; \
	    echo "SUITE($${n%.c})"; done | grep -v 'SUITE(main)' > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/tests/suites.inc
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -I$(BUILD)/tests $(CHECK_CFLAGS) $(LIB_CFLAGS) \
	    $(ALL_CFLAGS) \
	    -MMD -MP -c -o $@ $<

$(BUILD)/check_ipsweep: $(TEST_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# Replays a fuzz corpus without libFuzzer, so that gcc builds can too.
$(BUILD)/fuzz_%_replay: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS) \
    tests/fuzz/fuzz_util.h
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ \
	    $(filter-out %.h,$^) $(LIBS)

# The libFuzzer builds (clang only).
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SRCS) tests/fuzz/fuzz_util.h
	@mkdir -p $(@D)
	clang $(ALL_CPPFLAGS) $(LIB_CFLAGS) -std=c11 -g -O1 \
	    -fsanitize=fuzzer,address,undefined -o $@ $< \
	    $(filter-out src/main.c,$(SRCS)) $(LIBS)

-include $(OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(HOOK_OBJS:.o=.d)

# deps -- install, with apt-get, what is missing of DEPS_PKGS; silent and
# harmless when everything is present.
deps:
	@missing=""; for p in $(DEPS_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "make deps: installing:$$missing"; \
	    if [ "$$(id -u)" != 0 ]; then \
		echo "make deps: run as root, or install:$$missing" >&2; \
		exit 1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The lab tests the ASan and UBSan pass of `make check` runs again, to keep
# make check near a quarter of an hour: one for each path through the
# engines (routed and on-link, raw and datagram sockets, ARP and the
# neighbour table, ping(8), TCP), crafted and late packets, worker deaths,
# receive drops and the output formats; not the tests that mostly wait on
# the network (ARP loss at two rates, interrupted TCP passes, rate-limited
# routers).  `make check-asan` runs every lab test under the sanitizers.
ASAN_LAB_TESTS = t-all-silent t-onlink t-onlink-subnets t-onlink-rule t-dgram \
	t-h-crafted t-late \
	t-kill-worker t-h-respawn-stray t-tcp t-conflict t-prohibit \
	t-send-error t-arp-loss t-neigh-incomplete t-icmp-unreach \
	t-h-arp-rcvbuf t-x-exec-output t-o-formats t-e-deadline-tcp \
	t-records t-dns

# check -- everything the README promises: deps, build, all tests, then
# the unit, fuzz, CLI and ASAN_LAB_TESTS again under AddressSanitizer and
# UndefinedBehaviorSanitizer.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan-test LAB_TESTS="$(ASAN_LAB_TESTS)"

test: all $(BUILD)/check_ipsweep
	@$(MAKE) --no-print-directory unit fuzz-replay cli units-test lab-tests

unit: $(BUILD)/check_ipsweep
	CK_FORK=yes ./$(BUILD)/check_ipsweep

# fuzz-replay -- every committed seed and regression input, once.
fuzz-replay: $(FUZZERS:%=$(BUILD)/fuzz_%_replay)
	@for f in $(FUZZERS); do \
	    ./$(BUILD)/fuzz_$${f}_replay tests/fuzz/corpus/$$f/* || exit 1; \
	done

cli: all
	@bash tests/cli/run.sh ./$(BIN)
	@bash tests/cli/completion.sh ./$(BIN)

# units-test -- systemd-analyze verify and security on the systemd units
units-test: all
	@bash tests/systemd/verify.sh ./$(BIN)

# unpriv-test -- (as root) make unit and make cli's suites as user nobody,
# without any capability, on what is built here
unpriv-test: all $(BUILD)/check_ipsweep
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all env CK_FORK=yes ./$(BUILD)/check_ipsweep
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all bash tests/cli/run.sh ./$(BIN)
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all bash tests/cli/completion.sh ./$(BIN)

# lab-tests -- every tests/lab/t-*.sh, or those LAB_TESTS names
lab-tests: all $(HOOK_BIN)
	@LAB_TESTS='$(LAB_TESTS)' IPSWEEP_TEST_BIN=./$(HOOK_BIN) \
	    bash tests/lab/run-tests.sh ./$(BIN)

# check-asan -- the whole suite, every lab test too, built with ASan and
# UBSan.
check-asan:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory asan-test

asan-test:
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/ipsweep \
	    HARDEN_CPPFLAGS=-U_FORTIFY_SOURCE \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test

# fuzz -- run each libFuzzer harness FUZZ_SECONDS on a copy of its corpus;
# a crash is left in build/fuzz/ as crash-* (add it to the corpus).
fuzz: $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)
	@for f in $(FUZZERS); do \
	    mkdir -p $(BUILD)/fuzz/work-$$f && \
	    ( cd $(BUILD)/fuzz && ./fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=./ work-$$f ../../tests/fuzz/corpus/$$f ) \
		|| exit 1; \
	done

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@bash tests/lab/demo.sh ./ipsweep

lab-shell:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@bash tests/lab/lab-shell.sh ./ipsweep

# The bench's yardstick: a minimal raw-socket sender, not part of ipsweep.
RAWSEND = $(BUILD)/bench/rawsend

$(RAWSEND): tests/bench/rawsend.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all $(RAWSEND)
	@BENCH_RAWSEND=$(RAWSEND) bash tests/lab/bench.sh ./ipsweep

install: ipsweep
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/ipsweep \
	    $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 ipsweep $(DESTDIR)$(BINDIR)/ipsweep
	install -m 0644 man/ipsweep.1 $(DESTDIR)$(MANDIR)/man1/ipsweep.1
	install -m 0644 man/ranges.conf.5 $(DESTDIR)$(MANDIR)/man5/ranges.conf.5
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/ipsweep@.service.in \
	    >$(DESTDIR)$(SYSTEMDUNITDIR)/ipsweep@.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/ipsweep@.service
	install -m 0644 systemd/ipsweep@.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0644 completions/ipsweep.bash \
	    $(DESTDIR)$(BASHCOMPDIR)/ipsweep
	[ -e $(DESTDIR)$(SYSCONFDIR)/ipsweep/ranges.conf ] || \
	    install -m 0644 ranges.conf $(DESTDIR)$(SYSCONFDIR)/ipsweep/ranges.conf

# deb -- the Debian package, built from a copy of this tree in
# $(DEB_DIR) (dpkg-buildpackage writes to the parent directory: there, not
# next to the repository), then lintian on it: errors and warnings fail.
# Rebuilt only when a source, debian/ or an installed file changed.
DEB_DIR   = build/deb
DEB_ARCH  = $(shell dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null)
DEB       = $(DEB_DIR)/ipsweep_$(VERSION)_$(DEB_ARCH).deb
DEB_INPUTS = $(SRCS) $(wildcard include/*.h) Makefile ranges.conf \
	     $(wildcard man/* systemd/* completions/* debian/* debian/source/*)

deb: $(DEB)

$(DEB): $(DEB_INPUTS)
	@v=$$(dpkg-parsechangelog -l debian/changelog -SVersion) && \
	    [ "$$v" = "$(VERSION)" ] || { echo "make deb: debian/changelog" \
	    "says $$v, the Makefile $(VERSION)" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/ipsweep-$(VERSION)
	tar --exclude=./build --exclude=./build-asan --exclude=./.git \
	    --exclude=./ipsweep -cf - . | \
	    tar -xf - -C $(DEB_DIR)/ipsweep-$(VERSION)
	cd $(DEB_DIR)/ipsweep-$(VERSION) && \
	    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning \
	    $(DEB_DIR)/ipsweep_$(VERSION)_$(DEB_ARCH).changes
	@ls -l $@

# install-caps -- opt in: let ordinary users run the native method.
install-caps:
	setcap cap_net_raw+ep $(DESTDIR)$(BINDIR)/ipsweep

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipsweep $(DESTDIR)$(MANDIR)/man1/ipsweep.1 \
	    $(DESTDIR)$(MANDIR)/man5/ranges.conf.5 \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/ipsweep@.service \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/ipsweep@.timer \
	    $(DESTDIR)$(BASHCOMPDIR)/ipsweep

clean:
	rm -rf build build-asan ipsweep
