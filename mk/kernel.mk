# The kernel image build/kernel and its list of in-kernel tests.

KERNEL := $(BUILD)/kernel
KOBJ := $(BUILD)/kobj
KINC := $(BUILD)/include

KERNEL_DIRS := sys/kern sys/libkern sys/amd64/amd64 sys/x86/x86 sys/x86/xen \
	sys/vm sys/compat/linux \
	sys/xen sys/xen/xenbus $(wildcard sys/dev/xen/*) $(wildcard sys/dev/*) \
	sys/net sys/netinet $(wildcard sys/fs/*)
KERNEL_C := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c)))
KERNEL_S := $(sort $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.S)))
KERNEL_OBJS := $(patsubst %.c,$(KOBJ)/%.o,$(KERNEL_C)) \
	$(patsubst %.S,$(KOBJ)/%.o,$(KERNEL_S))

GCC_INC := $(shell gcc -print-file-name=include)
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(GCC_INC) -I$(KINC) -Isys \
	-mno-red-zone -mcmodel=kernel -fno-pic -fno-pie -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fcf-protection=none \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wmissing-prototypes -DINVARIANTS -D_KERNEL -MMD -MP \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
KLIBGCC := $(shell gcc -print-libgcc-file-name)
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments -T sys/conf/kernel.ld

ALL_TARGETS += $(KERNEL) $(KERNEL).ktests
LINT_SOURCES += $(KERNEL_C)

$(KINC)/.stamp:
	@mkdir -p $(KINC)
	ln -sfn $(TOP)/sys/amd64/include $(KINC)/machine
	ln -sfn $(TOP)/sys/x86/include $(KINC)/x86
	ln -sfn /usr/include/xen $(KINC)/xen
	@touch $@

# Linux's uapi headers (linux-libc-dev), for sys/compat/linux and the
# Linux numbers the process code uses: <linux/...>, <asm/...>.
KLINUX_INC := $(KINC)/linux $(KINC)/asm $(KINC)/asm-generic
$(KINC)/linux: | $(KINC)/.stamp
	ln -sfn /usr/include/linux $@
$(KINC)/asm: | $(KINC)/.stamp
	ln -sfn /usr/include/x86_64-linux-gnu/asm $@
$(KINC)/asm-generic: | $(KINC)/.stamp
	ln -sfn /usr/include/asm-generic $@

$(KOBJ)/%.o: %.c $(KINC)/.stamp | $(KLINUX_INC)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@gcc $(KCFLAGS) -c $< -o $@

$(KOBJ)/%.o: %.S $(KINC)/.stamp | $(KLINUX_INC)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@gcc $(KCFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(KERNEL): $(KERNEL_OBJS) sys/conf/kernel.ld
	@echo "  LD      $@"
	@ld $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(KLIBGCC)
	@tools/check-kernel.sh $@

# One test name per line, read from the image's .ktest_names section.
$(KERNEL).ktests: $(KERNEL)
	@objcopy -O binary --only-section=.ktest_names $< $@.bin
	@tr '\0' '\n' < $@.bin | grep -v '^$$' | sort -u > $@
	@rm -f $@.bin

-include $(KERNEL_OBJS:.o=.d)

QEMU_NATIVE := qemu-system-x86_64 -accel tcg -machine q35 -cpu max -smp 2 -m 256 \
	-nodefaults -vga none -display none -no-reboot -serial stdio -monitor none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-device edu -device pci-testdev,membar=64M

.PHONY: run-native
# INITRD=file: a boot module (e.g. $(BUILD)/vfs/initramfs-test.cpio).
run-native: $(KERNEL)
	$(QEMU_NATIVE) -kernel $(KERNEL) $(if $(INITRD),-initrd $(INITRD)) \
	    -append "$(CMDLINE)"
