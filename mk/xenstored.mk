# xenstored-shim: a userspace xenstored, its tests, fuzzer and bench.
# Adds to ALL_TARGETS, TEST_PREREQS, LINT_SOURCES and MAN_PAGES only.
# Stand-alone use: make -f mk/xenstored.mk xenstored-all | xenstored-test

XSD_DIR    := tools/xenstored-shim
XSD_TDIR   := tests/xenstored
XSD_BDIR   := bench/xenstore
XSD_OBJDIR := build/obj/xenstored
XSD_BIN    := build/bin/xenstored-shim
XSD_TOUT   := build/tests/xenstored

XSD_CC     ?= cc
XSD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -D_GNU_SOURCE -MMD -MP
XSD_CORE   := buf log quota proto path perms special tree txn watch conn ops \
              lookup implicit ops_quota ops_node ops_watch ops_txn \
              ops_domain ops_control domain ring db sock
XSD_CORE_OBJS := $(XSD_CORE:%=$(XSD_OBJDIR)/%.o)
XSD_LIBS   := -lyajl
XSD_XENLIBS := -lxenctrl -lxenevtchn -lxengnttab -lxenforeignmemory
XSD_ATF_CFLAGS := $(shell pkg-config --cflags atf-c 2>/dev/null)
XSD_ATF_LIBS   := $(shell pkg-config --libs atf-c 2>/dev/null || echo -latf-c)

XSD_C_TESTS := t_unit t_ops t_perms t_watch t_txn t_quota t_malformed \
               t_durability t_cost
XSD_SH_TESTS := t_cli t_utils t_fuzz t_xsdiff t_ring
XSD_TEST_PROGS := $(XSD_C_TESTS:%=$(XSD_TOUT)/%) $(XSD_SH_TESTS:%=$(XSD_TOUT)/%)
XSD_FUZZ   := $(XSD_TOUT)/fuzz_xsd
# The differential test's driver and its hypervisor stand-in.
XSD_DIFF   := $(XSD_TOUT)/xsdiff
XSD_STUB   := $(XSD_TOUT)/xenstub.so
XSD_BENCH  := build/bin/xsbench
XSD_NULL   := build/bin/xsnull
XSD_LOAD   := build/bin/xsload
# The daemon's allocation counter (LD_PRELOAD) for the load bench.
XSD_ALLOC  := build/bin/xsalloc.so
# Guests on rings, on the host under xenstub.
XSD_RING   := build/bin/xsring

ALL_TARGETS  += $(XSD_BIN) $(XSD_TEST_PROGS) $(XSD_FUZZ) $(XSD_BENCH) $(XSD_NULL) \
                $(XSD_DIFF) $(XSD_STUB)
TEST_PREREQS += $(XSD_TEST_PROGS) $(XSD_FUZZ) $(XSD_TOUT)/fuzz.subr $(XSD_RING) \
                $(XSD_TOUT)/Kyuafile $(XSD_BIN) \
                $(XSD_DIFF) $(XSD_STUB) $(XSD_TOUT)/xsdiff_cover.awk \
                $(XSD_TOUT)/xenstored-shim.8
LINT_SOURCES += $(wildcard $(XSD_DIR)/*.c) $(wildcard $(XSD_TDIR)/*.c) \
                $(wildcard $(XSD_BDIR)/*.c)
MAN_PAGES    += $(XSD_DIR)/xenstored-shim.8

.PHONY: xenstored-all xenstored-test fuzz xenstored-fuzz bench-xenstore \
        bench-xenstore-lab
xenstored-all: $(XSD_BIN) $(XSD_TEST_PROGS) $(XSD_FUZZ) $(XSD_TOUT)/Kyuafile \
    $(XSD_TOUT)/xsdiff_cover.awk \
    $(XSD_TOUT)/xenstored-shim.8 $(XSD_BENCH) $(XSD_NULL) $(XSD_DIFF) $(XSD_STUB) \
    $(XSD_LOAD) $(XSD_ALLOC) $(XSD_RING)

$(XSD_OBJDIR)/%.o: $(XSD_DIR)/%.c $(wildcard $(XSD_DIR)/*.h)
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -c -o $@ $<

$(XSD_OBJDIR)/t/%.o: $(XSD_TDIR)/%.c $(XSD_TDIR)/helper.h $(wildcard $(XSD_DIR)/*.h)
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) $(XSD_ATF_CFLAGS) -I$(XSD_DIR) -c -o $@ $<

$(XSD_BIN): $(XSD_CORE_OBJS) $(XSD_OBJDIR)/main.o $(XSD_OBJDIR)/ringdom.o
	@mkdir -p $(@D)
	$(XSD_CC) -o $@ $^ $(XSD_LIBS) $(XSD_XENLIBS)

$(XSD_TOUT)/t_%: $(XSD_OBJDIR)/t/t_%.o $(XSD_OBJDIR)/t/helper.o $(XSD_CORE_OBJS)
	@mkdir -p $(@D)
	$(XSD_CC) -o $@ $^ $(XSD_ATF_LIBS) -lxenstore $(XSD_LIBS)

$(XSD_TOUT)/t_%: $(XSD_TDIR)/t_%.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(XSD_TOUT)/fuzz.subr: tests/lib/fuzz.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

# What the differential test's seeds must reach (t_xsdiff).
$(XSD_TOUT)/xsdiff_cover.awk: $(XSD_TDIR)/xsdiff_cover.awk
	@mkdir -p $(@D)
	install -m 644 $< $@

$(XSD_TOUT)/Kyuafile: $(XSD_TDIR)/Kyuafile
	@mkdir -p $(@D)
	cp $< $@

# t_cli lints the page from the test directory.
$(XSD_TOUT)/xenstored-shim.8: $(XSD_DIR)/xenstored-shim.8
	@mkdir -p $(@D)
	cp $< $@

$(XSD_DIFF): $(XSD_TDIR)/xsdiff.c $(XSD_TDIR)/xenstub.h
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -o $@ $<

$(XSD_STUB): $(XSD_TDIR)/xenstub.c $(XSD_TDIR)/xenstub.h
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -fPIC -shared -o $@ $< -ldl

# Longer differential runs: make xs-diff SEED=7 N=5000 (C xenstored from
# the lab's package tree: make lab-fetch first).
SEED ?= 1
N    ?= 2000
XSD_CXS = $(firstword $(wildcard build/cache/lab/tree-*/usr/lib/xen-4.17/bin/xenstored))
.PHONY: xs-diff
xs-diff: $(XSD_DIFF) $(XSD_STUB) $(XSD_BIN)
	$(XSD_DIFF) -s $(SEED) -n $(N) -x $(CURDIR)/$(XSD_STUB) \
	    c=c:$(XSD_CXS) shim=shim:$(CURDIR)/$(XSD_BIN)

# libFuzzer build: clang, with ASan and UBSan, over the core sources.
XSD_FUZZ_SRCS := $(XSD_CORE:%=$(XSD_DIR)/%.c) $(XSD_TDIR)/fuzz_xsd.c
$(XSD_FUZZ): $(XSD_FUZZ_SRCS) $(wildcard $(XSD_DIR)/*.h)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -I$(XSD_DIR) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o $@ $(XSD_FUZZ_SRCS) $(XSD_LIBS)

XSD_FUZZ_TIME ?= 600
xenstored-fuzz: $(XSD_FUZZ)
	@mkdir -p build/cache/fuzz-xenstored
	$(XSD_FUZZ) -max_total_time=$(XSD_FUZZ_TIME) -max_len=9000 \
	    build/cache/fuzz-xenstored
fuzz: xenstored-fuzz

$(XSD_BENCH): $(XSD_BDIR)/xsbench.c
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -o $@ $< -lxenstore

# xsnull: a server answering every request with a canned reply at once,
# i.e. the ceiling the synchronous client and the socket allow.
$(XSD_NULL): $(XSD_BDIR)/xsnull.c
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -o $@ $<

ALL_TARGETS += $(XSD_LOAD) $(XSD_ALLOC) $(XSD_RING)
$(XSD_RING): $(XSD_BDIR)/xsring.c $(XSD_BDIR)/xsclock.h $(XSD_TDIR)/xenstub.h
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -o $@ $<

$(XSD_LOAD): $(XSD_BDIR)/xsload.c $(XSD_BDIR)/xsclock.h
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -o $@ $< -lxenstore

$(XSD_ALLOC): $(XSD_BDIR)/xsalloc.c
	@mkdir -p $(@D)
	$(XSD_CC) $(XSD_CFLAGS) -fPIC -shared -o $@ $<

# Concurrent clients where the daemon decides: shim, C xenstored (under
# xenstub) and xsnull in one run (bench/xenstore/load.sh).
XSD_LOAD_N ?= 4000
XSD_OXS = $(firstword $(wildcard build/cache/lab/tree-*/usr/lib/xen-4.17/bin/oxenstored))
.PHONY: bench-xenstore-load
bench-xenstore-load: $(XSD_BIN) $(XSD_LOAD) $(XSD_NULL) $(XSD_STUB) $(XSD_BENCH) \
    $(XSD_ALLOC)
	OXS=$(CURDIR)/$(XSD_OXS) ALLOC=$(CURDIR)/$(XSD_ALLOC) sh $(XSD_BDIR)/load.sh $(CURDIR)/$(XSD_BIN) $(XSD_CXS) \
	    $(CURDIR)/$(XSD_LOAD) $(CURDIR)/$(XSD_NULL) $(CURDIR)/$(XSD_STUB) \
	    $(CURDIR)/$(XSD_BENCH) $(XSD_LOAD_N)

XSD_BENCH_N ?= 20000
bench-xenstore: $(XSD_BIN) $(XSD_BENCH) $(XSD_NULL)
	sh $(XSD_BDIR)/run.sh $(XSD_BIN) $(XSD_BENCH) $(XSD_BENCH_N) $(XSD_NULL)

# The same bench in the Xen lab's dom0, against Debian's C xenstored and
# against the shim (real-ring mode), one lab boot each, and in the shim's
# boot against xsnull (the client's ceiling); ops/s, ratios and RSS per
# node. Not part of make test. See docs/lab.md.
XSD_LAB_BENCH_N    ?= 5000
XSD_LAB_BENCH_FILL ?= 10000
bench-xenstore-lab: $(XSD_BIN) $(XSD_BENCH) $(XSD_NULL)
	bench/xenstore/lab-run -n $(XSD_LAB_BENCH_N) -f $(XSD_LAB_BENCH_FILL)

xenstored-test: xenstored-all
	rm -f $(CURDIR)/build/xenstored-results.db; \
	cd $(XSD_TOUT) && kyua test --results-file=$(CURDIR)/build/xenstored-results.db \
	    --kyuafile=Kyuafile; rc=$$?; \
	kyua report --results-file=$(CURDIR)/build/xenstored-results.db; exit $$rc

-include $(wildcard $(XSD_OBJDIR)/*.d $(XSD_OBJDIR)/t/*.d)
