# netback's tx slot path under libFuzzer: the fuzzer plays a hostile
# netfront (tests/netback/fuzz_nbtx.c).  The kernel file is compiled
# unchanged with clang against the kernel headers, with ASan and UBSan.  A
# brief run is part of make test (t_fuzz); make fuzz runs it at length.
# Adds to ALL_TARGETS and TEST_PREREQS only.

NETB_TOUT := $(BUILD)/tests/netback
NETB_FUZZ := $(NETB_TOUT)/fuzz_nbtx
NETB_FUZZ_SRCS := sys/dev/xen/netback/netback_ring.c tests/netback/fuzz_nbtx.c
NETB_FUZZ_CFLAGS = $(KFUZZ_CFLAGS) \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

ALL_TARGETS  += $(NETB_FUZZ)
TEST_PREREQS += $(NETB_FUZZ) $(NETB_TOUT)/t_fuzz $(NETB_TOUT)/fuzz.subr \
    $(NETB_TOUT)/Kyuafile

$(NETB_FUZZ): $(NETB_FUZZ_SRCS) tests/lib/fuzz_input.h \
    $(wildcard sys/dev/xen/netback/*.h) $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang $(NETB_FUZZ_CFLAGS) -o $@ $(NETB_FUZZ_SRCS)

$(NETB_TOUT)/t_fuzz: tests/netback/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(NETB_TOUT)/fuzz.subr: tests/lib/fuzz.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(NETB_TOUT)/Kyuafile: tests/netback/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: netback-fuzz
NETB_FUZZ_TIME ?= 600
netback-fuzz: $(NETB_FUZZ)
	@mkdir -p build/cache/fuzz-nbtx
	$(NETB_FUZZ) -max_total_time=$(NETB_FUZZ_TIME) -max_len=4096 \
	    build/cache/fuzz-nbtx
fuzz: netback-fuzz
