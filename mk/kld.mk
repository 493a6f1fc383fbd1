# build/kernel-noxen: the kernel from the same sources with no file of
# sys/xen, sys/x86/xen or sys/dev/xen linked in.  It boots through a
# Multiboot header (the PVH entry note is the hypervisor layer's) and
# carries its own symbol table for the module linker (kld(4)).
#
# The table is linked into the image it describes, so the image is linked
# three times: first with an empty table (same symbols, no entries), then
# with the table of the first link (addresses after .ksyms move), then
# with the table of the second, which has the same size, so nothing moves:
# the third table must equal the second, which the rule checks.

KERNEL_NOXEN := $(BUILD)/kernel-noxen
KNX := $(BUILD)/kernel-noxen.d
KERNEL_NOXEN_XEN_DIRS := sys/x86/xen sys/xen sys/xen/xenbus $(wildcard sys/dev/xen/*)
KERNEL_NOXEN_DIRS := $(filter-out $(KERNEL_NOXEN_XEN_DIRS),$(KERNEL_DIRS)) \
	sys/x86/multiboot
KERNEL_NOXEN_C := $(sort $(foreach d,$(KERNEL_NOXEN_DIRS),$(wildcard $(d)/*.c)))
KERNEL_NOXEN_S := $(sort $(foreach d,$(KERNEL_NOXEN_DIRS),$(wildcard $(d)/*.S)))
KERNEL_NOXEN_OBJS := $(patsubst %.c,$(KOBJ)/%.o,$(KERNEL_NOXEN_C)) \
	$(patsubst %.S,$(KOBJ)/%.o,$(KERNEL_NOXEN_S))
KNX_LDFLAGS := $(filter-out -T sys/conf/kernel.ld,$(KLDFLAGS)) \
	-T sys/conf/kernel-noxen.ld

ALL_TARGETS += $(KERNEL_NOXEN) $(KERNEL_NOXEN).ktests
LINT_SOURCES += $(wildcard sys/x86/multiboot/*.c)

define knx_link
	@tools/gen-ksyms.sh $(1) > $(KNX)/ksyms$(2).S
	@gcc $(KCFLAGS) -D__ASSEMBLER__ -c $(KNX)/ksyms$(2).S -o $(KNX)/ksyms$(2).o
	@ld $(KNX_LDFLAGS) -o $(KNX)/kernel$(2) $(KERNEL_NOXEN_OBJS) \
	    $(KNX)/ksyms$(2).o $(KLIBGCC)
endef

$(KERNEL_NOXEN): $(KERNEL_NOXEN_OBJS) sys/conf/kernel-noxen.ld tools/gen-ksyms.sh
	@echo "  LD      $@"
	@mkdir -p $(KNX)
	$(call knx_link,,1)
	$(call knx_link,$(KNX)/kernel1,2)
	$(call knx_link,$(KNX)/kernel2,3)
	@tools/gen-ksyms.sh $(KNX)/kernel3 > $(KNX)/ksyms4.S
	@cmp -s $(KNX)/ksyms3.S $(KNX)/ksyms4.S || \
	    { echo "kernel-noxen: symbol table did not settle" >&2; exit 1; }
	@cp $(KNX)/kernel3 $@

$(KERNEL_NOXEN).ktests: $(KERNEL_NOXEN)
	@objcopy -O binary --only-section=.ktest_names $< $@.bin
	@tr '\0' '\n' < $@.bin | grep -v '^$$' | sort -u > $@
	@rm -f $@.bin

.PHONY: run-native-noxen
# The same as run-native with kernel-noxen; INITRD may list several
# modules, comma-separated (Multiboot), e.g. a .ko then a cpio.
run-native-noxen: $(KERNEL_NOXEN)
	$(QEMU_NATIVE) -kernel $(KERNEL_NOXEN) $(if $(INITRD),-initrd "$(INITRD)") \
	    -append "$(CMDLINE)"

# Modules: relocatable objects (ld -r) of files compiled exactly like the
# kernel's (-mcmodel=kernel -fno-pic), debug information stripped.
MODULES := $(BUILD)/modules
MODOBJ := $(BUILD)/modobj

$(MODOBJ)/%.o: %.c $(KINC)/.stamp | $(KLINUX_INC)
	@mkdir -p $(dir $@)
	@echo "  CC [mod] $<"
	@gcc $(KCFLAGS) -c $< -o $@

# xenhvm.ko: every file the image without Xen leaves out, less the PVH
# boot ABI (that image has its own entry), plus the module's glue and late
# probe (sys/modules/xen) and what it needs of libgcc.
XENHVM_C := $(filter-out sys/x86/xen/pvh_boot.c,$(sort $(foreach d,$(KERNEL_NOXEN_XEN_DIRS),$(wildcard $(d)/*.c))))
XENHVM_S := $(filter-out sys/x86/xen/pvh_note.S,$(sort $(foreach d,$(KERNEL_NOXEN_XEN_DIRS),$(wildcard $(d)/*.S))))
XENHVM_OBJS := $(patsubst %.c,$(KOBJ)/%.o,$(XENHVM_C)) $(patsubst %.S,$(KOBJ)/%.o,$(XENHVM_S)) \
	$(MODOBJ)/sys/modules/xen/xenhvm.o
ALL_TARGETS += $(MODULES)/xenhvm.ko $(MODULES)/xenhvm.ktests
LINT_SOURCES += sys/modules/xen/xenhvm.c

$(MODULES)/xenhvm.ko: $(XENHVM_OBJS)
	@mkdir -p $(@D)
	@echo "  LD [mod] $@"
	@ld -r -z noexecstack --strip-debug -o $@ $^ $(KLIBGCC)

$(MODULES)/%.ktests: $(MODULES)/%.ko
	@objcopy -O binary --only-section=.ktest_names $< $@.bin
	@tr '\0' '\n' < $@.bin | grep -v '^$$' | sort -u > $@
	@rm -f $@.bin

# The test module and the damaged ones the tests must see refused.
KLD_TESTMODS := kldtest bad_unresolved bad_reloc bad_trunc bad_machine \
	bad_shoff bad_symsize bad_depend bad_noversion bad_set
ALL_TARGETS += $(patsubst %,$(MODULES)/%.ko,$(KLD_TESTMODS)) $(MODULES)/kldtest.ktests
LINT_SOURCES += tests/kld/kldtest.c

$(MODULES)/kldtest.ko: $(MODOBJ)/tests/kld/kldtest.o
$(MODULES)/bad_unresolved.ko: $(MODOBJ)/tests/kld/bad_unresolved.o
$(MODULES)/bad_depend.ko: $(MODOBJ)/tests/kld/bad_depend.o
$(MODULES)/bad_noversion.ko: $(MODOBJ)/tests/kld/bad_noversion.o
$(MODULES)/bad_set.ko: $(MODOBJ)/tests/kld/bad_set.o
$(MODULES)/kldtest.ko $(MODULES)/bad_unresolved.ko $(MODULES)/bad_depend.ko \
	$(MODULES)/bad_noversion.ko $(MODULES)/bad_set.ko:
	@mkdir -p $(@D)
	@echo "  LD [mod] $@"
	@ld -r --strip-debug -o $@ $^

# -fpic: a kernel variable read through the GOT, a relocation kld refuses.
$(MODOBJ)/bad_reloc.o: tests/kld/bad_reloc.c $(KINC)/.stamp | $(KLINUX_INC)
	@mkdir -p $(dir $@)
	@gcc $(filter-out -mcmodel=kernel -fno-pic -fno-pie,$(KCFLAGS)) \
	    -mcmodel=small -fpic -c $< -o $@
$(MODULES)/bad_reloc.ko: $(MODOBJ)/bad_reloc.o
	@mkdir -p $(@D)
	@ld -r --strip-debug -o $@ $^

$(BUILD)/kld_corrupt: tests/kld/kld_corrupt.c
	@gcc -std=gnu11 -O1 -Wall -Wextra -Werror -o $@ $<
$(MODULES)/bad_%.ko: $(MODULES)/kldtest.ko $(BUILD)/kld_corrupt
	@$(BUILD)/kld_corrupt $* $< $@

# Tests (tests/kld).
KLD_TESTS := $(BUILD)/tests/kld
TEST_PREREQS += $(KLD_TESTS)/Kyuafile $(KLD_TESTS)/kld_build_checks \
	$(KLD_TESTS)/kernel-noxen $(KLD_TESTS)/kernel
TEST_PREREQS += $(KLD_TESTS)/native_xenhvm $(KLD_TESTS)/native_xenhvm.ktests \
	$(KLD_TESTS)/modules/xenhvm.ko $(KLD_TESTS)/modules/xenhvm.ktests
TEST_PREREQS += $(KLD_TESTS)/native_kld $(KLD_TESTS)/ktest.subr \
	$(KLD_TESTS)/native_kld.ktests $(KLD_TESTS)/initramfs-test.cpio \
	$(patsubst %,$(KLD_TESTS)/modules/%.ko,$(KLD_TESTMODS))

$(KLD_TESTS)/ktest.subr: tests/lib/ktest.subr
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/native_kld.ktests: $(KERNEL_NOXEN).ktests $(MODULES)/kldtest.ktests
	@mkdir -p $(@D)
	cat $^ > $@

$(KLD_TESTS)/native_xenhvm.ktests: $(KERNEL_NOXEN).ktests $(MODULES)/xenhvm.ktests
	@mkdir -p $(@D)
	cat $^ > $@

# The module's own ktest list, as the build read it from the object: the
# count the linker must report.
$(KLD_TESTS)/modules/xenhvm.ktests: $(MODULES)/xenhvm.ktests
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/initramfs-test.cpio: $(BUILD)/vfs/initramfs-test.cpio
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/modules/%.ko: $(MODULES)/%.ko
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/Kyuafile: tests/kld/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/%: tests/kld/%.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(KLD_TESTS)/kernel-noxen: $(KERNEL_NOXEN)
	@mkdir -p $(@D)
	install -m 644 $< $@

$(KLD_TESTS)/kernel: $(KERNEL)
	@mkdir -p $(@D)
	install -m 644 $< $@

-include $(KERNEL_NOXEN_OBJS:.o=.d) $(patsubst %.c,$(MODOBJ)/%.d,$(wildcard tests/kld/*.c) \
	sys/modules/xen/xenhvm.c)
