# mk/bench-user.mk: bench/user, user-space costs of our kernel against the
# Linux peer in one lab run (make bench-user; not part of make test).  The
# programs are static, built with the host gcc against Debian's glibc; the
# same initramfs is both guests' ramdisk.

UBENCH_DIR	:= $(BUILD)/bench-user
UBENCH_CPIO	:= $(UBENCH_DIR)/ubench.cpio

$(UBENCH_DIR)/ubench: bench/user/ubench.c
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<

$(UBENCH_DIR)/true: bench/user/true.c
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<

$(UBENCH_CPIO): $(UBENCH_DIR)/ubench $(UBENCH_DIR)/true
	@rm -rf $@.d && mkdir -p $@.d/bin $@.d/dev
	@cp $(UBENCH_DIR)/ubench $@.d/init && cp $(UBENCH_DIR)/true $@.d/bin/true
	@(cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > $@.tmp
	@rm -rf $@.d && mv $@.tmp $@

ALL_TARGETS	+= $(UBENCH_CPIO)
LINT_SOURCES	+= bench/user/ubench.c bench/user/true.c

# BENCH_USER_N: rounds of each side.
BENCH_USER_N	?= 2
.PHONY: bench-user
bench-user: $(BUILD)/kernel $(UBENCH_CPIO)
	bench/user/run -n $(BENCH_USER_N) -k $(BUILD)/kernel
