# blkfront's ring logic under libFuzzer: the fuzzer plays the backend
# (tests/blkfront/fuzz_blkring.c).  The kernel file is compiled unchanged
# with clang against the kernel headers, with ASan and UBSan.  A brief run
# is part of make test (t_fuzz); make fuzz runs it at length.
# Adds to ALL_TARGETS and TEST_PREREQS only.

BLKF_TOUT := $(BUILD)/tests/blkfront
BLKF_FUZZ := $(BLKF_TOUT)/fuzz_blkring
BLKF_FUZZ_SRCS := sys/dev/xen/blkfront/blkfront_ring.c \
	tests/blkfront/fuzz_blkring.c
BLKF_FUZZ_CFLAGS := -std=gnu11 -g -O1 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell clang -print-resource-dir 2>/dev/null)/include \
	-Itests/unit/include -I$(BUILD)/include -Isys -D_KERNEL -DINVARIANTS \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

ALL_TARGETS  += $(BLKF_FUZZ)
TEST_PREREQS += $(BLKF_FUZZ) $(BLKF_TOUT)/t_fuzz $(BLKF_TOUT)/Kyuafile

$(BLKF_FUZZ): $(BLKF_FUZZ_SRCS) $(wildcard sys/dev/xen/blkfront/*.h) \
    $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang $(BLKF_FUZZ_CFLAGS) -o $@ $(BLKF_FUZZ_SRCS)

$(BLKF_TOUT)/t_fuzz: tests/blkfront/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

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
