# Flags of the libFuzzer targets that compile kernel files unchanged against
# the hosted stand-ins (tests/unit/include): blkfront, netfront and the
# network stack's fuzz targets add their own on top.  The consumers use
# recursive (=) variables: this fragment sorts after some of them.
KFUZZ_CFLAGS := -std=gnu11 -g -O1 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell clang -print-resource-dir 2>/dev/null)/include \
	-Itests/unit/include -I$(BUILD)/include -Isys -D_KERNEL -DINVARIANTS \
	-fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
