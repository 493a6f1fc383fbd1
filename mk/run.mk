# `make run`'s initramfs: Debian's busybox-static and xenstore-utils (the
# xenstore-utils initramfs's tree, mk/xsutils.mk) with tools/run/init.sh,
# a short shell session, as /init (mk/xsutils.mk is read after this
# file: its cache directory is spelled out below).  `make run-shell`: the
# same initramfs with an interactive busybox sh as init, the kernel
# natively in QEMU on this terminal.

RUN_INITRAMFS	:= $(BUILD)/run/run-initramfs.cpio

$(RUN_INITRAMFS): tests/xsutils/mkinitramfs tools/run/init.sh \
    $(BUILD)/cache/xsutils/tree/.stamp
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory lab-fetch >/dev/null
	@echo "  CPIO    $@"
	@tests/xsutils/mkinitramfs $@ $$(cat $(BUILD)/cache/lab/current) \
	    $(XSU_CACHE)/tree tools/run/init.sh

# make test boots it natively (tests/user/user_boot: run_demo_session).
# Not named run-*: tools/run-tests.sh clears cached boot logs by that name.
TEST_PREREQS	+= $(BUILD)/tests/user/demo-initramfs.cpio
$(BUILD)/tests/user/demo-initramfs.cpio: $(RUN_INITRAMFS)
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: run-initramfs run-shell
run-initramfs: $(RUN_INITRAMFS)

run-shell: $(KERNEL) $(RUN_INITRAMFS)
	$(QEMU_NATIVE) -kernel $(KERNEL) -initrd $(RUN_INITRAMFS) \
	    -append "init=/bin/sh $(CMDLINE)"
