# Hosted unit tests (tests/unit): machine-independent kernel files compiled
# against the kernel headers plus tests/unit/include (hosted machine/
# headers), their libc-clashing symbols renamed with objcopy, linked with a
# hosted shim into ATF test programs.  No #ifdef TEST in the product code.

UNIT_DIR := $(BUILD)/tests/unit
UNIT_OBJ := $(BUILD)/unit-obj
UNIT_KCFLAGS := -std=gnu11 -O1 -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(GCC_INC) -Itests/unit/include -I$(BUILD)/include -Isys -Itests/unit \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
	-fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers -DINVARIANTS -D_KERNEL -MMD -MP
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror $(shell pkg-config --cflags atf-c 2>/dev/null)
UNIT_LIBS := $(shell pkg-config --libs atf-c 2>/dev/null || echo -latf-c)

# Kernel symbols that would meet libc's.
UNIT_REDEFS := $(UNIT_OBJ)/redefine.syms
UNIT_RENAMED := malloc free realloc mallocarray printf vprintf

# Kernel code under test, shared by every program.
UNIT_KSRC := sys/kern/kern_cmdline.c sys/kern/subr_memmap.c \
	sys/kern/subr_physmem.c sys/kern/kern_malloc.c sys/kern/kern_mutex.c \
	sys/kern/subr_bus.c sys/kern/subr_bus_if.c sys/libkern/parse.c \
	sys/libkern/strlcpy.c sys/xen/xs_ring.c sys/xen/xs_msg.c \
	tests/unit/hosted_kern.c
UNIT_KOBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_KSRC))
UNIT_PROGS := cmdline_test memmap_test physmem_test malloc_test bus_test mutex_test \
	xs_ring_test xs_msg_test evtchn_test
UNIT_PROGS += xs_client_test blkfront_ring_test blkfront_negotiate_test gnttab_test

# Block layer: bio validation and queue, integrity blocks, percentiles.
UNIT_PROGS += bio_test
$(UNIT_DIR)/bio_test: $(UNIT_OBJ)/k/sys/kern/subr_bio.o $(UNIT_OBJ)/k/sys/kern/subr_disk_check.o
UNIT_PROGS += iotool_test
$(UNIT_DIR)/iotool_test: $(UNIT_OBJ)/k/sys/kern/subr_bio.o $(UNIT_OBJ)/k/sys/libkern/crc32.o \
	$(UNIT_OBJ)/k/sys/kern/subr_iotool_block.o $(UNIT_OBJ)/k/sys/kern/subr_iotool_spec.o \
	$(UNIT_OBJ)/k/sys/kern/subr_lathist.o

# The network stack's parsing and reassembly (sys/netinet, mbufs).
UNIT_NET_SRC := sys/kern/uipc_mbuf.c sys/netinet/in_parse.c \
	sys/netinet/in_cksum.c sys/netinet/inet_check.c sys/netinet/ip_reass.c
UNIT_NET_OBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_NET_SRC))
UNIT_PROGS += inet_parse_test ip_reass_test mbuf_test
$(UNIT_DIR)/mbuf_test: $(UNIT_NET_OBJS)
$(UNIT_DIR)/inet_parse_test: $(UNIT_NET_OBJS)
$(UNIT_DIR)/ip_reass_test: $(UNIT_NET_OBJS)

# The event-channel core and ABIs over the fake hypervisor (evtchn_test).
UNIT_EVTCHN_SRC := sys/xen/evtchn_core.c sys/xen/evtchn_fifo.c \
	sys/xen/evtchn_2l.c sys/xen/xen_errno.c sys/xen/xen_refuse.c tests/unit/fake_xen.c
UNIT_EVTCHN_OBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_EVTCHN_SRC))
$(UNIT_DIR)/evtchn_test: $(UNIT_EVTCHN_OBJS) $(UNIT_OBJ)/hosted_thread.o
$(UNIT_DIR)/evtchn_test: UNIT_LIBS += -lpthread

# The grant table over its fake hypervisor (gnttab_test).
UNIT_GNTTAB_SRC := sys/xen/gnttab.c sys/xen/gnttab_ops.c sys/xen/gnttab_dma.c \
	sys/xen/xen_errno.c tests/unit/fake_gnttab.c
UNIT_GNTTAB_OBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_GNTTAB_SRC))
$(UNIT_DIR)/gnttab_test: $(UNIT_GNTTAB_OBJS)
# xbd's persistent-grant pool over the same grant table and fake.
UNIT_PROGS += blkfront_pgrant_test
$(UNIT_DIR)/blkfront_pgrant_test: $(UNIT_GNTTAB_OBJS) \
	$(UNIT_OBJ)/k/sys/dev/xen/blkfront/blkfront_pgrant.o

# The module linker's ELF loader on objects compiled here like modules
# (tests/unit/kldobj), run in memory below 2 GiB by a -no-pie program.
UNIT_PROGS += kld_link_test
UNIT_KLDOBJ := $(UNIT_OBJ)/kldobj
UNIT_KLDOBJ_FLAGS := $(filter-out -g -MMD -MP,$(KCFLAGS))
$(UNIT_KLDOBJ)/kldobj_%.o: tests/unit/kldobj/kldobj_%.c $(KINC)/.stamp
	@mkdir -p $(@D)
	@gcc $(UNIT_KLDOBJ_FLAGS) -c $< -o $@
$(UNIT_KLDOBJ)/kldobj_pic.o: tests/unit/kldobj/kldobj_good.c $(KINC)/.stamp
	@mkdir -p $(@D)
	@gcc $(filter-out -mcmodel=kernel -fno-pic -fno-pie,$(UNIT_KLDOBJ_FLAGS)) \
	    -mcmodel=small -fpic -c $< -o $@
$(UNIT_OBJ)/kld_objs.o: tests/unit/kld_objs.S $(UNIT_KLDOBJ)/kldobj_good.o \
	$(UNIT_KLDOBJ)/kldobj_unres.o $(UNIT_KLDOBJ)/kldobj_pic.o
	@gcc -c -Wa,-I$(UNIT_KLDOBJ) $< -o $@
$(UNIT_DIR)/kld_link_test: $(UNIT_OBJ)/k/sys/kern/link_elf_obj.o \
	$(UNIT_OBJ)/hosted_kldmem.o $(UNIT_OBJ)/kld_objs.o
$(UNIT_DIR)/kld_link_test: UNIT_LIBS += -no-pie

$(UNIT_REDEFS):
	@mkdir -p $(@D)
	@for s in $(UNIT_RENAMED); do echo "$$s kern_$$s"; done > $@.tmp
	@echo "printf hosted_printf" >> $@.tmp
	@echo "vprintf hosted_vprintf" >> $@.tmp
	@grep -v '^printf kern_\|^vprintf kern_' $@.tmp > $@ && rm -f $@.tmp

# blkfront's ring logic against an in-memory backend (blkfront_ring_test).
UNIT_BLKRING_SRC := sys/dev/xen/blkfront/blkfront_ring.c sys/xen/xen_ring_rsp.c \
	tests/unit/fake_blkback.c
UNIT_BLKRING_OBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_BLKRING_SRC))
$(UNIT_DIR)/blkfront_ring_test: $(UNIT_BLKRING_OBJS)
$(UNIT_DIR)/blkfront_negotiate_test: \
	$(UNIT_OBJ)/k/sys/dev/xen/blkfront/blkfront_negotiate.o \
	$(UNIT_OBJ)/k/sys/dev/xen/blkfront/blkfront_ring.o \
	$(UNIT_OBJ)/k/sys/xen/xen_ring_rsp.o

# netfront's ring, negotiation and checksum logic (pure code).
UNIT_PROGS += netfront_ring_test netfront_negotiate_test netfront_csum_test
$(UNIT_DIR)/netfront_ring_test: $(UNIT_OBJ)/k/sys/dev/xen/netfront/netfront_ring.o \
	$(UNIT_OBJ)/k/sys/xen/xen_ring_rsp.o
$(UNIT_DIR)/netfront_negotiate_test: \
	$(UNIT_OBJ)/k/sys/dev/xen/netfront/netfront_negotiate.o
$(UNIT_DIR)/netfront_csum_test: $(UNIT_OBJ)/k/sys/dev/xen/netfront/netfront_csum.o

# The L2 bridge (sys/net/if_bridge*.c) over the mbuf and checksum code.
UNIT_PROGS += bridge_test
$(UNIT_DIR)/bridge_test: $(UNIT_NET_OBJS) $(UNIT_OBJ)/k/sys/net/if_bridge.o \
	$(UNIT_OBJ)/k/sys/net/if_bridge_csum.o

# netback's ring, slot rules and copy plans (pure code).
UNIT_PROGS += netback_ring_test
$(UNIT_DIR)/netback_ring_test: $(UNIT_OBJ)/k/sys/dev/xen/netback/netback_ring.o

# The VFS: namei, tmpfs and the initramfs unpacker (vfs_test), the newc
# parser (cpio_test).
UNIT_VFS_SRC := sys/kern/vfs_vnode.c sys/kern/vfs_lookup.c sys/kern/vfs_mount.c \
	sys/kern/vfs_initramfs.c sys/kern/subr_uio.c tests/unit/hosted_nouser.c \
	sys/kern/subr_cpio.c $(wildcard sys/fs/tmpfs/*.c)
UNIT_VFS_OBJS := $(patsubst %.c,$(UNIT_OBJ)/k/%.o,$(UNIT_VFS_SRC))
UNIT_PROGS += vfs_test cpio_test
$(UNIT_DIR)/vfs_test: $(UNIT_VFS_OBJS)
$(UNIT_DIR)/cpio_test: $(UNIT_OBJ)/k/sys/kern/subr_cpio.o

# Processes: the ELF checks made before exec maps anything (elf_check_test).
UNIT_PROGS += elf_check_test
$(UNIT_DIR)/elf_check_test: $(UNIT_OBJ)/k/sys/kern/imgact_elf_check.o

# The PCI bus's BAR decoding and capability walk; the MADT interrupt
# entries, override routing and I/O APIC redirection entries.
UNIT_PROGS += pci_test ioapic_test
$(UNIT_DIR)/pci_test: $(UNIT_OBJ)/k/sys/dev/pci/pci_bar.o $(UNIT_OBJ)/k/sys/dev/pci/pci_cap.o
$(UNIT_DIR)/ioapic_test: $(UNIT_OBJ)/k/sys/x86/x86/madt_intr.o $(UNIT_OBJ)/k/sys/x86/x86/io_apic_rte.o

# /dev/xen/xenbus: request framing and checks, the read queue's bounds.
UNIT_PROGS += xenbus_dev_test
$(UNIT_DIR)/xenbus_dev_test: $(UNIT_OBJ)/k/sys/dev/xen/xenbus_dev/xenbus_dev_msg.o

# After the last UNIT_PROGS addition: ALL_TARGETS expands at once.
ALL_TARGETS += $(addprefix $(UNIT_DIR)/,$(UNIT_PROGS))
TEST_PREREQS += $(addprefix $(UNIT_DIR)/,$(UNIT_PROGS)) $(UNIT_DIR)/Kyuafile

# Kernel-header objects (code under test, kernel half of the shim, tests).
$(UNIT_OBJ)/k/%.o: %.c $(UNIT_REDEFS) $(KINC)/.stamp | $(KLINUX_INC)
	@mkdir -p $(@D)
	@echo "  CC [unit] $<"
	@gcc $(UNIT_KCFLAGS) -c $< -o $@.raw.o
	@objcopy --redefine-syms=$(UNIT_REDEFS) $@.raw.o $@
	@rm -f $@.raw.o

$(UNIT_OBJ)/hosted_%.o: tests/unit/hosted_%.c
	@mkdir -p $(@D)
	@echo "  CC [unit] $<"
	@gcc $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_DIR)/%: $(UNIT_OBJ)/k/tests/unit/%.o $(UNIT_KOBJS) $(UNIT_OBJ)/hosted_shim.o
	@mkdir -p $(@D)
	@echo "  LD [unit] $@"
	@gcc -o $@ $^ $(UNIT_LIBS)

$(UNIT_DIR)/Kyuafile: tests/unit/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

# Code that sleeps: the hosted scheduler (kernel half, libc half) wraps
# kern_yield, which hosted_kern.c keeps as a no-op for the other programs.
UNIT_SCHED_OBJS := $(UNIT_OBJ)/k/tests/unit/hosted_sched.o $(UNIT_OBJ)/hosted_ctx.o
UNIT_SCHED_LIBS := -Wl,--wrap=kern_yield

$(UNIT_OBJ)/hosted_ctx.o: tests/unit/hosted_ctx.c
	@mkdir -p $(@D)
	@echo "  CC [unit] $<"
	@gcc $(UNIT_CFLAGS) -c $< -o $@

# xenstore client over a fake daemon.
$(UNIT_DIR)/xs_client_test: $(UNIT_SCHED_OBJS) \
	$(UNIT_OBJ)/k/tests/unit/fake_xsd.o $(UNIT_OBJ)/k/sys/xen/xs_client.o \
	$(UNIT_OBJ)/k/sys/xen/xs_ops.o
$(UNIT_DIR)/xs_client_test: UNIT_LIBS += $(UNIT_SCHED_LIBS)

-include $(UNIT_NET_OBJS:.o=.d) $(UNIT_VFS_OBJS:.o=.d)
-include $(UNIT_KOBJS:.o=.d) $(UNIT_EVTCHN_OBJS:.o=.d) $(UNIT_BLKRING_OBJS:.o=.d) \
	$(UNIT_GNTTAB_OBJS:.o=.d) $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.d,$(UNIT_PROGS))
.SECONDARY: $(UNIT_NET_OBJS) $(UNIT_VFS_OBJS)
.SECONDARY: $(patsubst %,$(UNIT_OBJ)/k/tests/unit/%.o,$(UNIT_PROGS)) $(UNIT_KOBJS) \
	$(UNIT_EVTCHN_OBJS) $(UNIT_BLKRING_OBJS) $(UNIT_GNTTAB_OBJS)
