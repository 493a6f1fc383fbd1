# The VFS: the test initramfs the vfs ktests boot with
# (make run-native INITRD=build/vfs/initramfs-test.cpio CMDLINE='ktest=vfs_*'),
# with the file-system conformance program (tests/vfs/user/fsconf.c, static,
# built on this host) and what it prints here, run in an empty directory.

VFS_DIR := $(BUILD)/vfs
VFS_INITRAMFS_TEST := $(VFS_DIR)/initramfs-test.cpio
VFS_FSCONF := $(VFS_DIR)/fsconf

ALL_TARGETS += $(VFS_INITRAMFS_TEST)

$(VFS_FSCONF): tests/vfs/user/fsconf.c
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc -static -O2 -Wall -Werror -o $@ $<

# The terminal program needs a terminal: its expected lines are written
# from the rules (tests/vfs/user/ttysig.expected), not from a host run.
$(VFS_DIR)/ttysig: tests/vfs/user/ttysig.c
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc -static -O2 -Wall -Werror -o $@ $<

$(VFS_FSCONF).expected: $(VFS_FSCONF)
	@echo "  HOSTRUN $<"
	@d=$$(mktemp -d) && (cd $$d && $< < /dev/null > out 2>&1) && \
	    mv $$d/out $@ && rm -rf $$d

# Debian's busybox-static, from the lab's package cache (tests/lab/fetch),
# runs tests/vfs/user/shtest.sh; without it the ktest skips.  The host run
# uses the same binary and applet links, so only the kernel differs.
VFS_BUSYBOX := $(firstword $(wildcard $(BUILD)/cache/lab/tree-*/bin/busybox))
VFS_APPLETS := sh cat sed ls grep wc tr sort uniq awk cut seq head tail mkdir \
	cp mv rm printf pwd sleep ln readlink true false echo
VFS_EXTRA := $(VFS_FSCONF):bin/fsconf $(VFS_FSCONF).expected:fsconf.expected \
	$(VFS_DIR)/ttysig:bin/ttysig tests/vfs/user/ttysig.expected:ttysig.expected
VFS_EXTRA_DEPS := $(VFS_FSCONF) $(VFS_FSCONF).expected $(VFS_DIR)/ttysig \
	tests/vfs/user/ttysig.expected
ifneq ($(VFS_BUSYBOX),)
VFS_EXTRA += $(VFS_BUSYBOX):bin/busybox $(foreach a,$(VFS_APPLETS),=busybox:bin/$(a)) \
	tests/vfs/user/shtest.sh:shtest.sh $(VFS_DIR)/shtest.expected:shtest.expected
VFS_EXTRA_DEPS += $(VFS_DIR)/shtest.expected
endif

$(VFS_DIR)/shtest.expected: tests/vfs/user/shtest.sh $(VFS_BUSYBOX)
	@mkdir -p $(@D)
	@echo "  HOSTRUN busybox sh $<"
	@d=$$(mktemp -d) && mkdir $$d/bin $$d/run && \
	    for a in $(VFS_APPLETS); do ln -s $(VFS_BUSYBOX) $$d/bin/$$a; done && \
	    (cd $$d/run && env -i PATH=$$d/bin HOME=/ $(VFS_BUSYBOX) sh \
	    $(TOP)/$< < /dev/null > ../out 2>&1) && mv $$d/out $@ && rm -rf $$d

$(VFS_INITRAMFS_TEST): tests/vfs/mkinitramfs-test $(VFS_EXTRA_DEPS)
	@mkdir -p $(@D)
	@echo "  CPIO    $@"
	@tests/vfs/mkinitramfs-test $@ $(VFS_EXTRA)
