#!/bin/sh
# Lists the Linux x86-64 system calls the kernel implements (a
# LINUX_SYSCALL registration in sys/) and those that return ENOSYS (every
# other number of <asm/unistd_64.h>), for linux(4)'s closing list.
#   tools/linux-syscalls.sh [implemented|enosys]   (both by default)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
unistd=/usr/include/x86_64-linux-gnu/asm/unistd_64.h
impl=$(grep -rhoE 'LINUX_SYSCALL(_FALLBACK)?\(__NR_[a-z0-9_]+' "$top/sys" |
    sed 's/.*__NR_//' | LC_ALL=C sort -u)
all=$(sed -n 's/^#define[ \t]*__NR_\([a-z0-9_]*\)[ \t]*[0-9][0-9]*.*/\1/p' "$unistd" |
    LC_ALL=C sort -u)
enosys=$(printf '%s\n' "$all" | LC_ALL=C comm -23 - "$(printf '%s\n' "$impl" > /tmp/lsc.$$; echo /tmp/lsc.$$)")
rm -f /tmp/lsc.$$
show() {
	printf '%s (%d):\n' "$1" "$(printf '%s\n' "$2" | grep -c .)"
	printf '%s\n' "$2" | paste -sd' ' | fold -s -w 76
	echo
}
case ${1:-both} in
implemented) show implemented "$impl" ;;
enosys) show ENOSYS "$enosys" ;;
*) show implemented "$impl"; show ENOSYS "$enosys" ;;
esac
