# ipsweep - concurrent ICMP ping sweeper.  GNU make.
#
#   make            build ./ipsweep
#   make check      install what the tests need, build, run every test
#   make demo       install what is needed, sweep the shipped ranges in a lab
#   make lab-shell  a shell in the demo lab's scanner namespace
#   make bench      ipsweep against fping, nmap and a raw sender in the lab
#   make install    PREFIX, DESTDIR, SYSCONFDIR honoured

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
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
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check)

ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DIPSWEEP_VERSION='"$(VERSION)"' \
	       -DIPSWEEP_SYSCONFDIR='"$(SYSCONFDIR)"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(WARNINGS) $(CFLAGS)

BUILD     = build
BIN       = ipsweep
FUZZERS   = config targets icmp record
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
	    valgrind

.PHONY: all deps check test unit cli lab-tests demo lab-shell bench \
	install uninstall clean fuzz fuzz-replay check-asan asan-test \
	install-caps test-bin

all: $(BIN)

# test-bin -- $(HOOK_BIN), for running a hook-using lab test by hand
test-bin: $(HOOK_BIN)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(POPT_LIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(POPT_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(HOOK_BIN): $(HOOK_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(HOOK_OBJS) $(POPT_LIBS)

$(HOOK_BUILD)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -DIPSWEEP_TEST_HOOKS $(POPT_CFLAGS) \
	    $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The unit-test runner: every tests/check_NAME.c defines NAME_suite().
$(BUILD)/tests/suites.inc: $(TEST_SRCS)
	@mkdir -p $(@D)
	@for f in $(TEST_SRCS); do n=$${f#tests/check_}; \
	    echo "SUITE($${n%.c})"; done | grep -v 'SUITE(main)' > $@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/tests/suites.inc
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -I$(BUILD)/tests $(CHECK_CFLAGS) $(ALL_CFLAGS) \
	    -MMD -MP -c -o $@ $<

$(BUILD)/check_ipsweep: $(TEST_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(POPT_LIBS)

# Replays a fuzz corpus without libFuzzer, so that gcc builds can too.
$(BUILD)/fuzz_%_replay: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(POPT_LIBS)

# The libFuzzer builds (clang only).
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(SRCS)
	@mkdir -p $(@D)
	clang $(ALL_CPPFLAGS) -std=c11 -g -O1 \
	    -fsanitize=fuzzer,address,undefined -o $@ $< \
	    $(filter-out src/main.c,$(SRCS)) $(POPT_LIBS)

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
ASAN_LAB_TESTS = t-all-silent t-onlink t-onlink-subnets t-dgram \
	t-h-crafted t-late \
	t-kill-worker t-h-respawn-stray t-tcp t-conflict t-prohibit \
	t-send-error t-arp-loss t-neigh-incomplete t-icmp-unreach \
	t-h-arp-rcvbuf t-x-exec-output t-o-formats t-e-deadline-tcp

# check -- everything the README promises: deps, build, all tests, then
# the unit, fuzz, CLI and ASAN_LAB_TESTS again under AddressSanitizer and
# UndefinedBehaviorSanitizer.
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan-test LAB_TESTS="$(ASAN_LAB_TESTS)"

test: all $(BUILD)/check_ipsweep
	@$(MAKE) --no-print-directory unit fuzz-replay cli lab-tests

unit: $(BUILD)/check_ipsweep
	CK_FORK=yes ./$(BUILD)/check_ipsweep

# fuzz-replay -- every committed seed and regression input, once.
fuzz-replay: $(FUZZERS:%=$(BUILD)/fuzz_%_replay)
	@for f in $(FUZZERS); do \
	    ./$(BUILD)/fuzz_$${f}_replay tests/fuzz/corpus/$$f/* || exit 1; \
	done

cli: all
	@bash tests/cli/run.sh ./$(BIN)

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
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(SYSCONFDIR)/ipsweep
	install -m 0755 ipsweep $(DESTDIR)$(BINDIR)/ipsweep
	install -m 0644 man/ipsweep.1 $(DESTDIR)$(MANDIR)/man1/ipsweep.1
	install -m 0644 man/ranges.conf.5 $(DESTDIR)$(MANDIR)/man5/ranges.conf.5
	[ -e $(DESTDIR)$(SYSCONFDIR)/ipsweep/ranges.conf ] || \
	    install -m 0644 ranges.conf $(DESTDIR)$(SYSCONFDIR)/ipsweep/ranges.conf

# install-caps -- opt in: let ordinary users run the native method.
install-caps:
	setcap cap_net_raw+ep $(DESTDIR)$(BINDIR)/ipsweep

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipsweep $(DESTDIR)$(MANDIR)/man1/ipsweep.1 \
	    $(DESTDIR)$(MANDIR)/man5/ranges.conf.5

clean:
	rm -rf build build-asan ipsweep
