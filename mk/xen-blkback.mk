# blkback (sys/dev/xen/blkback, built into the kernel by kernel.mk): the
# hosted tests of its request checks and of the SHA-256 its lab check uses,
# and the libFuzzer target over the request path (tests/blkback), brief in
# make test, long in make fuzz.  Uses unit.mk's rules.

BLKBACK_UNIT_PROGS := blkback_req_test sha256_test
$(UNIT_DIR)/blkback_req_test: $(UNIT_OBJ)/k/sys/dev/xen/blkback/blkback_req.o
$(UNIT_DIR)/sha256_test: $(UNIT_OBJ)/k/sys/libkern/sha256.o

ALL_TARGETS += $(addprefix $(UNIT_DIR)/,$(BLKBACK_UNIT_PROGS))
TEST_PREREQS += $(addprefix $(UNIT_DIR)/,$(BLKBACK_UNIT_PROGS))

-include $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.d,$(BLKBACK_UNIT_PROGS))
.SECONDARY: $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.o,$(BLKBACK_UNIT_PROGS)) \
	$(UNIT_OBJ)/k/sys/dev/xen/blkback/blkback_req.o $(UNIT_OBJ)/k/sys/libkern/sha256.o

# The request path under libFuzzer: the fuzzer plays the frontend.
BLKB_TOUT := $(BUILD)/tests/blkback
BLKB_FUZZ := $(BLKB_TOUT)/fuzz_blkback
BLKB_FUZZ_SRCS := sys/dev/xen/blkback/blkback_req.c sys/libkern/parse.c \
	tests/blkback/fuzz_blkback.c
BLKB_FUZZ_CFLAGS = $(KFUZZ_CFLAGS) \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

ALL_TARGETS  += $(BLKB_FUZZ)
TEST_PREREQS += $(BLKB_FUZZ) $(BLKB_TOUT)/t_fuzz $(BLKB_TOUT)/fuzz.subr \
    $(BLKB_TOUT)/Kyuafile

$(BLKB_FUZZ): $(BLKB_FUZZ_SRCS) tests/lib/fuzz_input.h \
    $(wildcard sys/dev/xen/blkback/*.h) $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang $(BLKB_FUZZ_CFLAGS) -o $@ $(BLKB_FUZZ_SRCS)

$(BLKB_TOUT)/t_fuzz: tests/blkback/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(BLKB_TOUT)/fuzz.subr: tests/lib/fuzz.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BLKB_TOUT)/Kyuafile: tests/blkback/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: blkback-fuzz
BLKB_FUZZ_TIME ?= 600
blkback-fuzz: $(BLKB_FUZZ)
	@mkdir -p build/cache/fuzz-blkback
	$(BLKB_FUZZ) -max_total_time=$(BLKB_FUZZ_TIME) -max_len=70000 \
	    build/cache/fuzz-blkback
fuzz: blkback-fuzz

# drv-blk's overlay of the Linux peer's initramfs (tests/lab/drvblk): built
# on the host from the lab's package tree, carried by run-lab (LAB_PAYLOAD).
DRVBLK_OVL := $(BUILD)/lab-drvblk/linux-drvblk.cpio.gz
$(DRVBLK_OVL): tests/lab/drvblk/linux-init tests/lab/drvblk/mkoverlay
	@mkdir -p $(@D)
	tests/lab/drvblk/mkoverlay $@
.PHONY: drvblk-overlay
drvblk-overlay: $(DRVBLK_OVL)
