# xsdiff_cover.awk: which of issue 14's features a set of xsdiff
# transcripts (xsdiff -o) exercised, so that the differential test fails
# when its scripts stop reaching one of them (identical transcripts prove
# nothing about a feature no step touched).  Prints "feature count" lines;
# exits 1 if any count is 0.
#
# Each file is one run: "S<step> c<conn> slot<s> TYPE [len] body" is a
# request (slot -1: none; -2-i: a start whose id goes to slot i), the
# indented "c<conn> TYPE ... [len] body" lines are what came back, replies
# and watch events, in the order the daemon sent them.

function pathof(s) {
	sub(/\|.*/, "", s)
	return s
}

FNR == 1 {
	split("", open); split("", first); split("", fstep)
	split("", wstep); split("", wval); split("", setp)
	type = ""; committed = 0
}

/^S[0-9]/ {
	step = substr($1, 2) + 0; conn = $2; slot = substr($3, 5) + 0
	type = $4; body = $0; sub(/^[^]]*\] /, "", body)
	next
}

/^  c[0-9]/ {
	rc = $1; rt = $2; rb = $0; sub(/^[^]]*\] /, "", rb)
	if (rt == "EVENT") {
		ev = pathof(rb)
		# Not the event every new watch gets at once.
		if (ev == "@introduceDomain" && type != "WATCH")
			hit["introduce_event"]++
		if (ev == "@releaseDomain" && type != "WATCH")
			hit["release_event"]++
		if (ev !~ /^@/ && type == "TRANSACTION_END" && committed)
			hit["event_at_commit"]++
		next
	}
	if (rc != conn)
		next	# another connection's barrier
	if (type == "TRANSACTION_START" && rt == "TRANSACTION_START") {
		open[conn, -2 - slot] = ++gen
		next
	}
	if (type == "TRANSACTION_END") {
		committed = rt == "TRANSACTION_END" && body == "T|"
		if (rb == "EAGAIN|")
			hit["commit_eagain"]++
		delete open[conn, slot]
		next
	}
	committed = 0
	if (type == "READ" && slot >= 0 && (conn, slot) in open) {
		# A read in a transaction that returns what the transaction
		# first saw, though a write outside changed the node since.
		path = pathof(body)
		val = rt == "READ" ? rb : "E" rb
		k = open[conn, slot] SUBSEP path
		if (!(k in first)) {
			first[k] = val
			fstep[k] = step
		} else if (wstep[path] > fstep[k] && wval[path] != val &&
		    val == first[k])
			hit["stable_view"]++
	} else if (type == "WRITE" && rt == "WRITE" && slot < 0) {
		path = pathof(body)
		v = body
		sub(/^[^|]*\|/, "", v)
		wstep[path] = step
		wval[path] = v
	} else if (type == "SET_PERMS" && rt == "SET_PERMS") {
		setp[pathof(body)] = 1
	} else if (type == "GET_PERMS" && rt == "GET_PERMS") {
		# Never set itself, under a node that was, and not the
		# default of its creator alone: its parent's, inherited.
		path = pathof(body)
		up = path
		while (!(path in setp) && sub(/\/[^\/]*$/, "", up) && up != "")
			if ((up in setp) && rb !~ /^n[0-9]+\|$/) {
				hit["perms_inherited"]++
				break
			}
	} else if (type == "DIRECTORY_PART" && rt == "DIRECTORY_PART")
		hit["directory_part"]++
	else if (type == "RESET_WATCHES" && rt == "RESET_WATCHES")
		hit["reset_watches"]++
	else if (type == "CONTROL" && rt == "CONTROL")
		hit["control_" pathof(body)]++
	else if (type ~ /^type2[3-6]$/ && rb == "ENOSYS|")
		# GET/SET_FEATURE, GET/SET_QUOTA of later Xen versions.
		hit["feature_quota_" type]++
}

END {
	n = split("stable_view commit_eagain event_at_commit " \
	    "introduce_event release_event perms_inherited directory_part " \
	    "reset_watches control_check control_print control_log " \
	    "control_quota control_quota-soft feature_quota_type23 " \
	    "feature_quota_type24 feature_quota_type25 feature_quota_type26",
	    want, " ")
	bad = 0
	for (i = 1; i <= n; i++) {
		printf "%s %d\n", want[i], hit[want[i]]
		if (hit[want[i]] == 0)
			bad = 1
	}
	exit bad
}
