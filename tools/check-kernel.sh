#!/bin/sh
# Sanity checks of a linked kernel: the PVH entry note is present.
set -e
k="$1"
if ! readelf -n "$k" | grep -q 'Xen.*0x00000012\|PHYS32_ENTRY\|Unknown note type: (0x00000012)'; then
	echo "check-kernel: $k has no XEN_ELFNOTE_PHYS32_ENTRY note" >&2
	readelf -n "$k" >&2
	exit 1
fi
