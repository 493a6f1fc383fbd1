# Processes and the Linux ABI: headers generated from Linux's uapi headers
# (system-call names, errno values), the user test programs of tests/user
# (static, built on this host) and their embedding in the kernel image for
# the process ktests.

LINUX_UNISTD := /usr/include/x86_64-linux-gnu/asm/unistd_64.h
LINUX_ERRNO_H := /usr/include/asm-generic/errno-base.h /usr/include/asm-generic/errno.h

$(KINC)/linux_sysnames.h: $(LINUX_UNISTD) mk/proc.mk | $(KINC)/.stamp
	@sed -n 's/^#define[ \t]*__NR_\([a-z0-9_]*\)[ \t]*\([0-9][0-9]*\).*/[\2] = "\1",/p' $< > $@.tmp
	@test -s $@.tmp && mv $@.tmp $@

$(KINC)/linux_errno_map.h: sys/sys/errno.h $(LINUX_ERRNO_H) mk/proc.mk | $(KINC)/.stamp
	@{ sed -n 's/^#define[ \t][ \t]*\(E[A-Z0-9]*\)[ \t][ \t]*\([0-9][0-9]*\).*/#define LINUX_\1 \2/p' $(LINUX_ERRNO_H); \
	  sed -n 's/^#define[ \t][ \t]*\(E[A-Z0-9]*\)[ \t][ \t]*\(E[A-Z0-9]*\).*/#define LINUX_\1 LINUX_\2/p' $(LINUX_ERRNO_H); \
	  echo 'static const short linux_errno_table[] = {'; \
	  sed -n 's/^#define[ \t][ \t]*\(E[A-Z0-9]*\)[ \t][ \t]*[0-9][0-9]*.*/#ifdef LINUX_\1\n[\1] = LINUX_\1,\n#endif/p' sys/sys/errno.h; \
	  echo '};'; } > $@.tmp && mv $@.tmp $@

$(KOBJ)/sys/compat/linux/linux_syscall.o: $(KINC)/linux_sysnames.h
$(KOBJ)/sys/compat/linux/linux_errno.o: $(KINC)/linux_errno_map.h

# Test programs: tiny ones with no libc (tests/user/nolibc), and ones against
# glibc, static.  Built for the host; the same binaries run in our kernel.
USER_DIR := $(BUILD)/user
USER_NOLIBC := hello uspin ufault uefault
USER_GLIBC := ghello
# Conformance programs: run on this host at build time, their output kept
# (NAME.expected) and compared by the ktests with what they print in our
# kernel.
USER_CONF := gfork gsignal gthread gmem gstop gsigregs gcancel gclock gefault grobust galarm \
	gsys
USER_NOLIBC_BASE := -nostdlib -ffreestanding -O2 -fno-stack-protector \
	-fcf-protection=none -Wall -Werror -Itests/user/nolibc
USER_NOLIBC_CFLAGS := -static -fno-pie -no-pie $(USER_NOLIBC_BASE)
USER_GLIBC_CFLAGS := -static -O2 -Wall -Werror

$(USER_DIR)/%: tests/user/nolibc/%.c tests/user/nolibc/nolibc.h
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc $(USER_NOLIBC_CFLAGS) -o $@ $<

$(USER_DIR)/%: tests/user/glibc/%.c
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc $(USER_GLIBC_CFLAGS) -o $@ $<

$(USER_DIR)/%.expected: $(USER_DIR)/%
	@echo "  HOSTRUN $<"
	@timeout 60 $< > $@.tmp && mv $@.tmp $@

# execve needs files: gexec runs as /init of its own initramfs (gexec.cpio,
# with /notelf, a file that is not a program), booted by tests/user.
$(USER_DIR)/notelf:
	@mkdir -p $(@D)
	@printf 'just text\n' > $@ && chmod 755 $@
$(USER_DIR)/gexec.expected: $(USER_DIR)/gexec $(USER_DIR)/notelf
	@echo "  HOSTRUN $<"
	@timeout 60 $< $(USER_DIR)/notelf > $@.tmp && mv $@.tmp $@
$(USER_DIR)/gexec.cpio: $(USER_DIR)/gexec $(USER_DIR)/notelf
	@rm -rf $@.d && mkdir -p $@.d
	@cp $(USER_DIR)/gexec $@.d/init && cp $(USER_DIR)/notelf $@.d/notelf
	@(cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > $@.tmp
	@rm -rf $@.d && mv $@.tmp $@

# PT_INTERP: uprog names /uinterp (a position-independent stand-in for
# ld.so) as its interpreter; uprog-host names the build's copy, so the
# host's kernel gives the reference output.
$(USER_DIR)/uinterp: tests/user/nolibc/uinterp.c tests/user/nolibc/nolibc.h
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc $(USER_NOLIBC_BASE) -static-pie -fpie -o $@ $<
$(USER_DIR)/uprog: tests/user/nolibc/uprog.c tests/user/nolibc/nolibc.h
	@mkdir -p $(@D)
	@echo "  USER    $@"
	@gcc $(USER_NOLIBC_BASE) -pie -fpie -Wl,--dynamic-linker=/uinterp -o $@ $<
$(USER_DIR)/uprog-host: tests/user/nolibc/uprog.c tests/user/nolibc/nolibc.h
	@mkdir -p $(@D)
	@gcc $(USER_NOLIBC_BASE) -pie -fpie -Wl,--dynamic-linker=$(USER_DIR)/uinterp -o $@ $<
$(USER_DIR)/uprog.expected: $(USER_DIR)/uprog-host $(USER_DIR)/uinterp
	@echo "  HOSTRUN $<"
	@timeout 60 $< > $@.tmp && mv $@.tmp $@
$(USER_DIR)/uprog.cpio: $(USER_DIR)/uprog $(USER_DIR)/uinterp
	@rm -rf $@.d && mkdir -p $@.d
	@cp $(USER_DIR)/uprog $@.d/init && cp $(USER_DIR)/uinterp $@.d/uinterp
	@(cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > $@.tmp
	@rm -rf $@.d && mv $@.tmp $@

# A dynamic program: gdyn.cpio holds it as /init with this host's ld.so and
# libc.so.6 (Debian's), at the paths it names.
LINUX_LDSO := /lib64/ld-linux-x86-64.so.2
LINUX_LIBC := /lib/x86_64-linux-gnu/libc.so.6
$(USER_DIR)/gdyn: tests/user/glibc/gdyn.c
	@mkdir -p $(@D)
	@echo "  USER    $@ (dynamic)"
	@gcc -O2 -Wall -Werror -o $@ $<
$(USER_DIR)/gdyn.expected: $(USER_DIR)/gdyn
	@echo "  HOSTRUN $<"
	@timeout 60 $< > $@.tmp && mv $@.tmp $@
$(USER_DIR)/gdyn.cpio: $(USER_DIR)/gdyn
	@rm -rf $@.d && mkdir -p $@.d$(dir $(LINUX_LDSO)) $@.d$(dir $(LINUX_LIBC))
	@cp $< $@.d/init && cp -L $(LINUX_LDSO) $@.d$(LINUX_LDSO) && \
	    cp -L $(LINUX_LIBC) $@.d$(LINUX_LIBC)
	@(cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > $@.tmp
	@rm -rf $@.d && mv $@.tmp $@

USER_PROGS := $(addprefix $(USER_DIR)/,$(USER_NOLIBC) $(USER_GLIBC) $(USER_CONF)) \
	$(addsuffix .expected,$(addprefix $(USER_DIR)/,$(USER_CONF))) \
	$(USER_DIR)/gexec $(USER_DIR)/gexec.expected $(USER_DIR)/gexec.cpio \
	$(USER_DIR)/uprog.cpio $(USER_DIR)/uprog.expected \
	$(USER_DIR)/gdyn.cpio $(USER_DIR)/gdyn.expected
ALL_TARGETS += $(USER_PROGS)
# The process ktests carry the programs in the image (kern_exec_test_progs.S).
$(KOBJ)/sys/kern/kern_exec_test_progs.o: $(USER_PROGS)
$(KOBJ)/sys/kern/kern_exec_test_progs.o: KCFLAGS += -Wa,-I$(USER_DIR)

# make test: tests/user/user_boot boots the kernel natively with programs
# of build/user as the boot module (init=module:0).
USER_TESTS := $(BUILD)/tests/user
TEST_PREREQS += $(USER_TESTS)/user_boot $(USER_TESTS)/Kyuafile $(USER_TESTS)/kernel \
	$(addprefix $(USER_TESTS)/,hello ghello ufault gexec.cpio gexec.expected \
	uprog.cpio uprog.expected gdyn.cpio gdyn.expected)

$(USER_TESTS)/user_boot: tests/user/user_boot.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(USER_TESTS)/Kyuafile: tests/user/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

$(USER_TESTS)/kernel: $(BUILD)/kernel
	@mkdir -p $(@D)
	install -m 644 $< $@

$(USER_TESTS)/%: $(USER_DIR)/%
	@mkdir -p $(@D)
	install -m 644 $< $@

# The closing list of linux(4): the system calls implemented and those
# that return ENOSYS, from the LINUX_SYSCALL registrations in sys/.
.PHONY: linux-syscalls
linux-syscalls:
	@tools/linux-syscalls.sh
