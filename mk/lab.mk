# mk/lab.mk: the Xen lab (tests/lab): Debian's Xen 4.17 + Linux dom0 under
# QEMU/TCG, the lab test kernel, the lab's ATF programs and the boot bench.
# See docs/lab.md.

LAB_DIR		:= tests/lab
# BUILD comes from the top-level Makefile; "build" if it is not set.
LAB_BUILDDIR	:= $(or $(BUILD),build)
LAB_OUT		:= $(LAB_BUILDDIR)/lab
LAB_TESTS_OUT	:= $(LAB_BUILDDIR)/tests/lab

# The lab's own test kernel (a PVH self-test; stands in for build/kernel
# until the real kernel exists).
LAB_TK_DIR	:= $(LAB_DIR)/testkernel
LAB_TK_OUT	:= $(LAB_OUT)/testkernel
LAB_TK_CFLAGS	:= -std=gnu11 -O2 -ffreestanding -fno-pie -fno-stack-protector \
		   -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables \
		   -Wall -Wextra -Werror
LAB_TK_OBJS	:= $(LAB_TK_OUT)/head.o $(LAB_TK_OUT)/main.o

$(LAB_TK_OUT)/head.o: $(LAB_TK_DIR)/head.S
	@mkdir -p $(@D)
	gcc $(LAB_TK_CFLAGS) -c $< -o $@

$(LAB_TK_OUT)/main.o: $(LAB_TK_DIR)/main.c
	@mkdir -p $(@D)
	gcc $(LAB_TK_CFLAGS) -c $< -o $@

$(LAB_TK_OUT)/kernel: $(LAB_TK_OBJS) $(LAB_TK_DIR)/kernel.ld
	ld -nostdlib -static -no-pie -z max-page-size=4096 --no-warn-rwx-segments \
	    -T $(LAB_TK_DIR)/kernel.ld -o $@ $(LAB_TK_OBJS)

# The test names, one per line, from the KTEST_LIST table.
$(LAB_TK_OUT)/kernel.ktests: $(LAB_TK_DIR)/main.c
	@mkdir -p $(@D)
	sed -n 's/^[[:space:]]*X(\([A-Za-z_0-9]*\)).*/\1/p' $< >$@

# ATF programs, installed with their Kyuafile into build/tests/lab.
LAB_ATF_PROGS	:= domu_ktests domu_control dom0_ktests lab_linux_domu lab_selftest domu_2l_ktests domu_callback_ktests
# shim_domains: our xenstored-shim as dom0's xenstored (group "shim").
LAB_ATF_PROGS	+= shim_domains
LAB_ATF_PROGS	+= lab_failure_modes
# domu_iotool: iotool= on a RAM disk in a domU (group "domu").
LAB_ATF_PROGS	+= domu_iotool
# domu_xenbus: a disk hot-plugged and removed under our kernel (group "domu").
LAB_ATF_PROGS	+= domu_xenbus
LAB_ATF_PROGS	+= domu_gnttab_ktests
# domu_blk: xbd(4) against Linux blkback, checked from dom0 (group "domu").
LAB_ATF_PROGS	+= domu_blk
# The PV disk against Linux blkback (group "domu"): a disk hot-plugged,
# one detached and re-attached while the guest writes it, a flush and a
# discard counted by blkback, blkback reloaded under a connected disk,
# blkback's features turned off in turn.
LAB_ATF_PROGS	+= domu_blkhot domu_blkreattach domu_blkflush domu_blkreload \
		   domu_blkfeat
# xbd0 as a hostile frontend against Linux's blkback (group "domu").
LAB_ATF_PROGS	+= domu_blkhostile
# The PV network (group "net"): xn(4) against Linux netback, in make test
# after three passing runs in a row (86-102 s for the group's boot).
LAB_ATF_PROGS	+= domu_net domu_net2 domu_netops
# User space (group "user"): domu-vfs and Debian's xenstore-utils in our
# domU (domu-xsutils), each 6-8 s of guest time.
LAB_ATF_PROGS	+= domu_vfs_ktests domu_xsutils
# HVM guests (group "hvm", one Xen boot): ktest=* as HVM, the callback
# vector, the old-Xen fallbacks down to xenpci(4)'s PCI INTx, a PV disk and
# vif after the unplug, xl shutdown/reboot.  hvm_kld (kernel-noxen with
# xenhvm.ko, scenario hvm-kld) is installed but not in make test yet: its
# guest prints nothing after the Multiboot ROM (see docs/lab.md).
LAB_ATF_PROGS	+= hvm_ktests hvm_callback_ktests hvm_fallback_ktests hvm_net \
		   hvm_control
LAB_ATF_FILES_EXTRA := $(LAB_TESTS_OUT)/hvm_kld
ALL_TARGETS	+= $(LAB_ATF_FILES_EXTRA)
LAB_ATF_FILES	:= $(addprefix $(LAB_TESTS_OUT)/,$(LAB_ATF_PROGS) Kyuafile lab-atf.subr \
		   ktest.subr)

$(LAB_TESTS_OUT)/%: $(LAB_DIR)/atf/%.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(LAB_TESTS_OUT)/Kyuafile: $(LAB_DIR)/atf/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

$(LAB_TESTS_OUT)/lab-atf.subr: $(LAB_DIR)/atf/lab-atf.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(LAB_TESTS_OUT)/ktest.subr: tests/lib/ktest.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

# gntpeer: the dom0 end of the grant-table check (scenario domu-gnttab),
# built with the host gcc against bookworm's glibc, which dom0 runs too.
LAB_GNTPEER	:= $(LAB_BUILDDIR)/bin/gntpeer
$(LAB_GNTPEER): $(LAB_DIR)/dom0/gntpeer.c
	@mkdir -p $(@D)
	gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o $@ $<
ALL_TARGETS	+= $(LAB_GNTPEER)
TEST_PREREQS	+= $(LAB_GNTPEER)

ALL_TARGETS	+= $(LAB_TK_OUT)/kernel $(LAB_TK_OUT)/kernel.ktests
TEST_PREREQS	+= $(LAB_TK_OUT)/kernel $(LAB_TK_OUT)/kernel.ktests $(LAB_ATF_FILES) \
		   lab-image lab-reset
LINT_SOURCES	+= $(LAB_TK_DIR)/main.c $(LAB_DIR)/dom0/gntpeer.c

.PHONY: lab-fetch lab-image lab-reset lab-run lab-shell lab-selftest bench-boot \
	bench-hvm lab-hvm-image

# Packages (cached by version under build/cache/lab) and the dom0 image.
lab-fetch:
	$(LAB_DIR)/fetch

lab-image:
	$(LAB_DIR)/mkdom0

# The HVM overlay of the dom0 image (device model, firmware), appended only
# for scenarios with LAB_HVM=yes.
lab-hvm-image:
	$(LAB_DIR)/mkhvm

# Each `make test` boots the lab afresh: drop the cached results of the
# previous run (the ATF programs reuse results only within one kyua run).
lab-reset:
	rm -rf $(LAB_BUILDDIR)/lab-runs/current

# Our kernel (build/kernel, else the lab test kernel) as a PVH domU in the
# lab, its console shown as it comes. LAB_SCENARIO picks the scenario
# (domu-boot: the ktests; domu-run: `make run`'s boot report), LAB_CMDLINE
# overrides the scenario's command line.
LAB_KERNEL	?= $(if $(wildcard $(LAB_BUILDDIR)/kernel),$(LAB_BUILDDIR)/kernel,$(LAB_TK_OUT)/kernel)
LAB_RUN_FLAGS	?= -g
LAB_SCENARIO	?= domu-boot
# Live: Xen's and the guest's early lines; afterwards the guest's whole PV
# console as xenconsoled logged it (what `xl console` shows).
lab-run: $(LAB_TK_OUT)/kernel
	@rm -rf $(LAB_BUILDDIR)/lab-runs/run-latest
	@$(LAB_DIR)/run-lab $(LAB_RUN_FLAGS) -o $(LAB_BUILDDIR)/lab-runs/run-latest \
	    -k $(LAB_KERNEL) $(if $(LAB_CMDLINE),-c '$(LAB_CMDLINE)') $(LAB_SCENARIO); \
	rc=$$?; \
	echo "---- guest PV console (xenconsoled log) ----"; \
	cat $(LAB_BUILDDIR)/lab-runs/run-latest/steps/$(LAB_SCENARIO)/guest-$(LAB_SCENARIO).log \
	    2>/dev/null || echo "(no guest console log)"; \
	exit $$rc

# Interactive Linux dom0 (xl list, xl create /lab/payload/scenarios/...).
lab-shell: $(LAB_TK_OUT)/kernel
	$(LAB_DIR)/run-lab --shell -k $(LAB_KERNEL) domu-boot selftest-domu linux-domu-boot

# The lab's self-test: the test kernel as domU and as PVH dom0.
lab-selftest: $(LAB_TK_OUT)/kernel
	$(LAB_DIR)/run-lab -k $(LAB_TK_OUT)/kernel selftest-domu linux-domu-boot
	$(LAB_DIR)/run-lab -k $(LAB_TK_OUT)/kernel dom0-boot

# Boot-time benchmark against the Linux peer (not part of make test).
BENCH_N		?= 5
bench-boot: $(LAB_TK_OUT)/kernel
	bench/boot/run -n $(BENCH_N) -k $(LAB_KERNEL)

# Our kernel as HVM beside PVH in one lab run (not in make test): boot
# times (BENCH_HVM_N boots each), then BENCH_HVM_IO_N rounds of the disk
# and net figures of bench-blk and bench-net.
bench-hvm: $(LAB_TK_OUT)/kernel
	bench/hvm/run -n $(or $(BENCH_HVM_N),3) -i $(or $(BENCH_HVM_IO_N),1) -k $(LAB_KERNEL)
