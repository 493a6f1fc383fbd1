#!/bin/sh
# Runs xsbench against a private xenstored-shim (socket only), once
# without and once with --db (fsync per acknowledged change); with XSNULL,
# also against xsnull (canned replies: the client's ceiling).
# usage: run.sh SHIM XSBENCH N [XSNULL]
set -eu
shim=$1 bench=$2 n=$3 null=${4:-}
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
modes="memory db"
[ -n "$null" ] && modes="$modes null"
for mode in $modes; do
	rm -f "$dir/sock"
	case $mode in
	null)
		"$null" "$dir/sock" &
		name=xsnull ;;
	*)
		extra=
		[ "$mode" = db ] && extra="--db $dir/store.db"
		# shellcheck disable=SC2086
		"$shim" --no-domains --foreground --socket "$dir/sock" $extra &
		name="xenstored-shim ($mode)" ;;
	esac
	pid=$!
	i=0
	while [ ! -S "$dir/sock" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	echo "== $name, N=$n"
	XENSTORED_PATH="$dir/sock" "$bench" "$n"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	pid=
done
