# Native boot tests: the kernel in QEMU with ktest=*.

BOOT_TESTS := $(BUILD)/tests/boot
TEST_PREREQS += $(BOOT_TESTS)/native_ktests $(BOOT_TESTS)/native_iotool $(BOOT_TESTS)/Kyuafile \
	$(BOOT_TESTS)/ktest.subr $(BOOT_TESTS)/kernel $(BOOT_TESTS)/kernel.ktests
TEST_PREREQS += $(BOOT_TESTS)/initramfs-test.cpio

$(BOOT_TESTS)/native_ktests: tests/boot/native_ktests.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

TEST_PREREQS += $(BOOT_TESTS)/native_net
$(BOOT_TESTS)/native_net: tests/boot/native_net.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

# The PCI and I/O APIC ktests again on -machine pc (i440FX/PIIX3).
TEST_PREREQS += $(BOOT_TESTS)/native_pc
$(BOOT_TESTS)/native_pc: tests/boot/native_pc.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(BOOT_TESTS)/native_iotool: tests/boot/native_iotool.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(BOOT_TESTS)/Kyuafile: tests/boot/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BOOT_TESTS)/ktest.subr: tests/lib/ktest.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BOOT_TESTS)/kernel: $(BUILD)/kernel
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BOOT_TESTS)/kernel.ktests: $(BUILD)/kernel.ktests
	@mkdir -p $(@D)
	install -m 644 $< $@

$(BOOT_TESTS)/initramfs-test.cpio: $(BUILD)/vfs/initramfs-test.cpio
	@mkdir -p $(@D)
	install -m 644 $< $@
