#!/bin/sh
# /init of `make run`'s initramfs (mk/run.mk): a short busybox sh session
# on the guest's console, each command shown after a prompt as if typed,
# then the end of init (the kernel powers off with its status).  With
# init=/bin/sh instead (make run-shell) the same initramfs gives an
# interactive shell.  Debian's busybox-static and xenstore-utils run
# unmodified; the applet links are made here, from busybox's own list.
# shellcheck disable=SC2016 # run() evals its quoted command line.
PATH=/bin:/usr/bin
export PATH
for a in $(busybox --list); do
	[ -e /bin/"$a" ] || busybox ln -s busybox /bin/"$a"
done

run() {
	echo "# $*"
	eval "$*"
}

echo "run: busybox sh as /init, pid $$"
run 'uname -sm'
run 'ls /'
run 'head -n 4 /proc/self/status'
run 'echo hello world | tr a-z A-Z | sed "s/WORLD/there/"'
run 'mkdir -p /tmp/demo && echo "some text" > /tmp/demo/a && cp /tmp/demo/a /tmp/demo/b && ls /tmp/demo && cat /tmp/demo/b'
run 'seq 1 100 | awk "{ s += \$1 } END { print \"sum\", s }"'
run 'printf "pear\napple\nfig\n" | sort | head -n 2'
run '(sleep 1; echo "background job done") & echo "started $!"; wait; echo "wait: $?"'
run 'x=$(cd /tmp && pwd); echo "subshell saw $x, still in $(pwd)"'
if [ -c /dev/xen/xenbus ]; then
	run 'xenstore-read name domid'
	run 'xenstore-ls device | head -n 5'
fi
run 'rm -r /tmp/demo && ls /tmp'
echo "run: end of the demo"
