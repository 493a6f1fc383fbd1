# Manual pages of the kernel's drivers and interfaces.
MAN_PAGES += $(wildcard share/man/man*/*.[1-9])
