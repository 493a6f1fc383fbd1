# mk/net-lab.mk: the network lab (issue 10): the lab's static network tools
# (tests/lab/tools: udpecho, rawinject; bench/net: netbench), built with the
# host gcc -static so the same binaries run in dom0 and in the Linux PVH
# domU's busybox initramfs, and the overlay that turns the Linux peer into a
# networked guest (tests/lab/net).  See tests/lab/tools/README.

NETLAB_TOOLS	:= $(BUILD)/bin/udpecho $(BUILD)/bin/rawinject $(BUILD)/bin/netbench
NETLAB_OVL	:= $(BUILD)/lab-net/linux-net.cpio.gz
NETLAB_CFLAGS	:= -std=gnu11 -O2 -Wall -Wextra -Werror -static

$(BUILD)/bin/udpecho: tests/lab/tools/udpecho.c tests/lab/tools/capture.c \
    tests/lab/tools/netcheck.c tests/lab/tools/capture.h tests/lab/tools/netcheck.h
	@mkdir -p $(@D)
	gcc $(NETLAB_CFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/bin/rawinject: tests/lab/tools/rawinject.c tests/lab/tools/netcheck.c \
    tests/lab/tools/netcheck.h
	@mkdir -p $(@D)
	gcc $(NETLAB_CFLAGS) -o $@ $(filter %.c,$^)

$(BUILD)/bin/netbench: bench/net/netbench.c bench/net/netbench_count.c \
    bench/net/netbench.h
	@mkdir -p $(@D)
	gcc $(NETLAB_CFLAGS) -o $@ $(filter %.c,$^)

$(NETLAB_OVL): $(NETLAB_TOOLS) tests/lab/net/linux-init tests/lab/net/mkoverlay
	@mkdir -p $(@D)
	tests/lab/net/mkoverlay $@ $(BUILD)/bin

ALL_TARGETS	+= $(NETLAB_TOOLS)
LINT_SOURCES	+= tests/lab/tools/udpecho.c tests/lab/tools/capture.c \
		   tests/lab/tools/netcheck.c tests/lab/tools/rawinject.c \
		   bench/net/netbench.c bench/net/netbench_count.c

# bench/net (make bench-net; not part of make test): our kernel's netbench=
# against the Linux peer's netfront in one lab run.  BENCH_NET_N rounds of
# each side, BENCH_NET_MS milliseconds per figure.
BENCH_NET_N	?= 1
BENCH_NET_MS	?= 3000
.PHONY: bench-net
bench-net: $(BUILD)/kernel $(NETLAB_TOOLS) $(NETLAB_OVL)
	bench/net/run -n $(BENCH_NET_N) -k $(BUILD)/kernel -m $(BENCH_NET_MS)

# bench-hvm (mk/lab.mk) measures our netfront too: dom0's netbench.
bench-hvm: $(BUILD)/kernel $(BUILD)/bin/netbench

# tests/netlab: the tools against the host's Linux stack (netns + veth).
NETLAB_TESTS_OUT := $(BUILD)/tests/netlab
$(NETLAB_TESTS_OUT)/netlab_tools: tests/netlab/netlab_tools.sh
	@mkdir -p $(@D)
	install -m 755 $< $@
$(NETLAB_TESTS_OUT)/Kyuafile: tests/netlab/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@
TEST_PREREQS	+= $(NETLAB_TOOLS) $(NETLAB_TESTS_OUT)/netlab_tools \
		   $(NETLAB_TESTS_OUT)/Kyuafile
