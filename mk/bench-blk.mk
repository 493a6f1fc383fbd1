# mk/bench-blk.mk: bench/blk, the block I/O bench of our xbd against Linux's
# blkfront in one lab run (make bench-blk; not part of make test).

# blkload: the Linux peer's load generator, static (its initramfs is busybox
# only), built with the host gcc against Debian's glibc.
BLKBENCH_LOAD	:= $(BUILD)/bin/blkload
BLKBENCH_OVL	:= $(BUILD)/bench-blk/blkbench-linux.cpio.gz

$(BLKBENCH_LOAD): bench/blk/blkload.c
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread -o $@ $<

$(BLKBENCH_OVL): $(BLKBENCH_LOAD) bench/blk/linux-init bench/blk/mkoverlay
	@mkdir -p $(@D)
	bench/blk/mkoverlay $@ $(BLKBENCH_LOAD)

ALL_TARGETS	+= $(BLKBENCH_LOAD)
LINT_SOURCES	+= bench/blk/blkload.c

# BENCH_BLK_N: rounds of each side; BENCH_BLK_MS: milliseconds per pattern.
BENCH_BLK_N	?= 3
BENCH_BLK_MS	?= 3000
.PHONY: bench-blk
bench-blk: $(BUILD)/kernel $(BLKBENCH_OVL)
	bench/blk/run -n $(BENCH_BLK_N) -k $(BUILD)/kernel -m $(BENCH_BLK_MS)
