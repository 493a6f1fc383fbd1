# The network stack's fuzz target: Ethernet frames into the whole stack
# (tests/net/fuzz_netinput.c).  The stack's files are compiled unchanged
# with clang against the kernel headers, with ASan and UBSan; the kernel's
# malloc(9) goes to libc's (tests/net/fuzz_netinput_libc.c) so ASan sees
# it.  A brief run is part of make test (t_fuzz); make fuzz runs it long.
# Adds to ALL_TARGETS and TEST_PREREQS only.

NET_TOUT := $(BUILD)/tests/net
NET_FUZZ := $(NET_TOUT)/fuzz_netinput
NET_FUZZ_SRCS := sys/kern/uipc_mbuf.c sys/net/if.c sys/net/if_ethersubr.c \
	sys/net/net_core.c sys/netinet/in_parse.c sys/netinet/in_ifaddr.c \
	sys/netinet/in_cksum.c sys/netinet/inet_check.c sys/netinet/if_ether.c \
	sys/netinet/ip_input.c sys/netinet/ip_output.c sys/netinet/ip_reass.c \
	sys/netinet/ip_icmp.c sys/netinet/udp_usrreq.c tests/net/fuzz_netinput.c
NET_FUZZ_CFLAGS = $(KFUZZ_CFLAGS) \
	-Dmalloc=fz_kmalloc -Dfree=fz_kfree -Dprintf=fz_printf

ALL_TARGETS  += $(NET_FUZZ)
NET_SEEDS := $(patsubst tests/net/seeds/%,$(NET_TOUT)/seeds/%,$(wildcard tests/net/seeds/*))
TEST_PREREQS += $(NET_FUZZ) $(NET_TOUT)/t_fuzz $(NET_TOUT)/Kyuafile $(NET_SEEDS)

$(NET_TOUT)/seeds/%: tests/net/seeds/%
	@mkdir -p $(@D)
	install -m 644 $< $@

$(NET_FUZZ): $(NET_FUZZ_SRCS) tests/net/fuzz_netinput_libc.c \
    $(wildcard sys/net/*.h sys/netinet/*.h) sys/sys/mbuf.h $(BUILD)/include/.stamp
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address \
	    -c -o $@.libc.o tests/net/fuzz_netinput_libc.c
	@clang $(NET_FUZZ_CFLAGS) -o $@ $(NET_FUZZ_SRCS) $@.libc.o

$(NET_TOUT)/t_fuzz: tests/net/t_fuzz.sh
	@mkdir -p $(@D)
	install -m 0755 $< $@

$(NET_TOUT)/Kyuafile: tests/net/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

.PHONY: net-fuzz
NET_FUZZ_TIME ?= 600
net-fuzz: $(NET_FUZZ)
	@mkdir -p build/cache/fuzz-netinput
	cp -n tests/net/seeds/* build/cache/fuzz-netinput/
	$(NET_FUZZ) -max_total_time=$(NET_FUZZ_TIME) -max_len=8192 \
	    build/cache/fuzz-netinput
fuzz: net-fuzz
