# dom0 side: no guest.  The first attempt writes first.txt, prints what a
# shell prints for a child killed by SIGSEGV and fails; the second writes
# second.txt and passes.
once=/tmp/failmode-retry.once
if [ ! -f $once ]; then
	: >$once
	echo "attempt 1" >"$LAB_OUT/first.txt"
	echo "LAB-FAILMODE-RETRY attempt=1"
	echo "Segmentation fault"
	exit 1
fi
echo "attempt 2" >"$LAB_OUT/second.txt"
echo "LAB-FAILMODE-RETRY attempt=2"
exit 0
