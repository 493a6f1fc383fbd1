#!/bin/sh
# Runs xsbench against a private xenstored-shim (socket only), once
# without and once with --db (fsync per acknowledged change).
# usage: run.sh SHIM XSBENCH N
set -eu
shim=$1 bench=$2 n=$3
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
for mode in memory db; do
	extra=
	[ "$mode" = db ] && extra="--db $dir/store.db"
	rm -f "$dir/sock"
	# shellcheck disable=SC2086
	"$shim" --no-domains --foreground --socket "$dir/sock" $extra &
	pid=$!
	i=0
	while [ ! -S "$dir/sock" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
	echo "== xenstored-shim ($mode), N=$n"
	XENSTORED_PATH="$dir/sock" "$bench" "$n"
	kill "$pid"; wait "$pid" 2>/dev/null || true
	pid=
done
