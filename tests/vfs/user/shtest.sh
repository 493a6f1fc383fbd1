# busybox sh conformance script: pipes, redirection, subshells, background
# jobs and wait, here-documents, ls/cat/cp/mv/mkdir/rm, sed/awk/sort/uniq/
# wc/tr/cut/head/tail.  Run in an empty scratch directory; every line it
# prints starts with "sh:" and must be the same on the build host and in
# our kernel.
set -u
echo "sh: start"
mkdir -p a/b/c
echo "one" > a/f1
echo "two" >> a/f1
printf 'x\ny\n' > a/b/f2
cat a/f1 a/b/f2 | sed 's/^/sh: cat /'
cp a/f1 a/copy
mv a/copy a/b/moved
ls a | sed 's/^/sh: ls a /'
ls -R a | grep -c . | sed 's/^/sh: ls -R lines /'
[ -d a/b/c ] && echo "sh: dir ok"
[ -f a/b/moved ] && echo "sh: moved ok"
wc -l < a/f1 | tr -d ' ' | sed 's/^/sh: wc /'
printf '3 c\n1 a\n2 b\n1 a\n' | sort -n | uniq -c | awk '{print "sh: uniq", $1, $2, $3}'
echo "a:b:c" | cut -d: -f2 | sed 's/^/sh: cut /'
seq 1 100 | awk '{s += $1} END {print "sh: sum " s}'
seq 1 20 | head -n 3 | tail -n 1 | sed 's/^/sh: third /'
echo hello | tr a-z A-Z | sed 's/^/sh: tr /'
x=$( (echo sub; echo shell) | wc -l)
echo "sh: subshell lines $x"
(cd a/b && pwd | sed 's|.*/||; s/^/sh: subshell cwd /')
pwd | sed 's|.*/||; s/^/sh: cwd after /'
v=outer
(v=inner; echo "sh: in subshell $v")
echo "sh: after subshell $v"
cat <<END | sed 's/^/sh: heredoc /'
line $v
END
(sleep 0; echo "sh: bg one") | cat > bg1 &
p1=$!
(echo "sh: bg two" > bg2) &
wait $p1
echo "sh: wait status $?"
wait
cat bg1 bg2
(exit 3) &
wait $!
echo "sh: background exit status $?"
false || echo "sh: or after false"
true && echo "sh: and after true"
if grep -q two a/f1; then echo "sh: grep found"; fi
grep -q nothing a/f1 || echo "sh: grep status $?"
for i in 1 2 3; do printf 'sh: loop %s\n' "$i"; done
i=0
while [ $i -lt 3 ]; do i=$((i + 1)); done
echo "sh: while $i"
case "abc" in a*) echo "sh: case a*";; *) echo "sh: case other";; esac
f() { echo "sh: func $1 $#"; return 3; }
f x y
echo "sh: func status $?"
echo "to stderr" 1>&2 2>/dev/null
ls nothing 2>/dev/null || echo "sh: ls missing status nonzero"
exec 3> fd3
echo "sh: via fd 3" >&3
exec 3>&-
cat fd3
ln -s a/f1 link
readlink link | sed 's/^/sh: readlink /'
cat link | head -n 1 | sed 's/^/sh: through link /'
rm -r a
[ -e a ] || echo "sh: removed"
ls | sort | tr '\n' ' ' | sed 's/ $//; s/^/sh: left /'
echo
echo "sh: end"
