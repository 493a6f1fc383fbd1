# netfront's receive path under libFuzzer: the fuzzer plays netback
# (tests/netfront/fuzz_nfrx.c).  The kernel files are compiled unchanged
# with clang against the kernel headers, with ASan and UBSan.  A brief run
# is part of make test (t_fuzz); make fuzz runs it at length.
# Adds to ALL_TARGETS and TEST_PREREQS only.

NETF_TOUT := $(BUILD)/tests/netfront
NETF_FUZZ := $(NETF_TOUT)/fuzz_nfrx
NETF_FUZZ_SRCS := sys/dev/xen/netfront/netfront_ring.c sys/xen/xen_ring_rsp.c \
	sys/dev/xen/netfront/netfront_csum.c tests/netfront/fuzz_nfrx.c
NETF_FUZZ_CFLAGS = $(KFUZZ_CFLAGS) \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

ALL_TARGETS  += $(NETF_FUZZ)
TEST_PREREQS += $(NETF_FUZZ) $(NETF_TOUT)/t_fuzz $(NETF_TOUT)/fuzz.subr \
    $(NETF_TOUT)/Kyuafile

$(NETF_FUZZ): $(NETF_FUZZ_SRCS) tests/lib/fuzz_input.h $(wildcard sys/dev/xen/netfront/*.h) \
    sys/xen/xen_ring_rsp.h \
    $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang $(NETF_FUZZ_CFLAGS) -o $@ $(NETF_FUZZ_SRCS)

$(NETF_TOUT)/t_fuzz: tests/netfront/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(NETF_TOUT)/fuzz.subr: tests/lib/fuzz.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(NETF_TOUT)/Kyuafile: tests/netfront/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: netfront-fuzz
NETF_FUZZ_TIME ?= 600
netfront-fuzz: $(NETF_FUZZ)
	@mkdir -p build/cache/fuzz-nfrx
	$(NETF_FUZZ) -max_total_time=$(NETF_FUZZ_TIME) -max_len=4096 \
	    build/cache/fuzz-nfrx
fuzz: netfront-fuzz
