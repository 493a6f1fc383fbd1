# blkfront's ring logic under libFuzzer: the fuzzer plays the backend
# (tests/blkfront/fuzz_blkring.c).  The kernel file is compiled unchanged
# with clang against the kernel headers, with ASan and UBSan.  A brief run
# is part of make test (t_fuzz); make fuzz runs it at length.
# Adds to ALL_TARGETS and TEST_PREREQS only.

BLKF_TOUT := $(BUILD)/tests/blkfront
BLKF_FUZZ := $(BLKF_TOUT)/fuzz_blkring
BLKF_FUZZ_SRCS := sys/dev/xen/blkfront/blkfront_ring.c sys/xen/xen_ring_rsp.c \
	tests/blkfront/fuzz_blkring.c
BLKF_FUZZ_CFLAGS = $(KFUZZ_CFLAGS) \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

ALL_TARGETS  += $(BLKF_FUZZ)
TEST_PREREQS += $(BLKF_FUZZ) $(BLKF_TOUT)/t_fuzz $(BLKF_TOUT)/fuzz.subr \
    $(BLKF_TOUT)/Kyuafile

$(BLKF_FUZZ): $(BLKF_FUZZ_SRCS) tests/lib/fuzz_input.h $(wildcard sys/dev/xen/blkfront/*.h) \
    sys/xen/xen_ring_rsp.h \
    $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang $(BLKF_FUZZ_CFLAGS) -o $@ $(BLKF_FUZZ_SRCS)

$(BLKF_TOUT)/t_fuzz: tests/blkfront/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(BLKF_TOUT)/fuzz.subr: tests/lib/fuzz.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BLKF_TOUT)/Kyuafile: tests/blkfront/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: blkfront-fuzz
BLKF_FUZZ_TIME ?= 600
blkfront-fuzz: $(BLKF_FUZZ)
	@mkdir -p build/cache/fuzz-blkring
	$(BLKF_FUZZ) -max_total_time=$(BLKF_FUZZ_TIME) -max_len=4096 \
	    build/cache/fuzz-blkring
fuzz: blkfront-fuzz
