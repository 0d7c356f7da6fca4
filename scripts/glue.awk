# glue.awk: one glue file of glue/ (a patch in git format-patch form with
# directives) made concrete for one release.  Used by scripts/gen-patches.
#
#   awk -v rel=RELEASE -v facts=FILE -v actions=FILE -v src=NAME -f glue.awk GLUE
#
# Directives, at the start of a line (a unified diff never has one there):
#   %if RANGE[,RANGE...]  %elif RANGE...  %else  %endif
#        keep the lines up to the next directive when RELEASE lies in one of
#        the RANGEs: A..B, A.., ..B or A (inclusive; versions as 8.4p1)
#   %new PATH SOURCE    the patch adds PATH with the content of the
#                        repository's file SOURCE
#   %objs OBJECT        Makefile.in: OBJECT joins LIBSSH_OBJS (after fatal.o)
#   %ltests TEST        regress/Makefile: TEST joins the end of LTESTS
#   %librt              configure.ac: search librt for clock_gettime() where
#                        the release does not already
#   %include FILE HEADER  FILE: #include "HEADER" after the last #include
#                        "..." outside #if blocks before the first declaration
#   %# TEXT             a comment for the reader of the glue
# and @NAME@ anywhere is replaced by the release's fact NAME (glue/facts).
#
# Writes the concrete file on stdout, the actions (%new, %objs, %ltests,
# %librt, %include) to the file `actions`, one per line; hunk headers are recounted
# after the selection.  Errors name SRC and the line.

function die(msg) {
	printf "%s:%d: %s\n", src, NR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# 8.4p1 -> a number that orders releases: major, minor, micro, portable.
function vkey(v,    a, n) {
	if (v !~ /^[0-9]+\.[0-9]+(\.[0-9]+)?p[0-9]+$/)
		die("not a release: '" v "'")
	n = split(v, a, /[.p]/)
	if (n == 3)
		return a[1] * 1000000 + a[2] * 10000 + a[3]
	return a[1] * 1000000 + a[2] * 10000 + a[3] * 100 + a[4]
}

# Does rel lie in one of the comma-separated ranges of spec?
function in_ranges(spec,    r, n, i, lo, hi, d) {
	gsub(/[ \t]/, "", spec)
	if (spec == "")
		die("a range is missing after the directive")
	n = split(spec, r, ",")
	for (i = 1; i <= n; i++) {
		d = index(r[i], "..")
		if (d == 0) {
			lo = hi = r[i]
		} else {
			lo = substr(r[i], 1, d - 1)
			hi = substr(r[i], d + 2)
		}
		if ((lo == "" || vkey(lo) <= relkey) &&
		    (hi == "" || relkey <= vkey(hi)))
			return 1
	}
	return 0
}

function emitting(    i) {
	for (i = 1; i <= depth; i++)
		if (!on[i])
			return 0
	return 1
}

# Keep a line of output; hunk headers are recounted at the end.
function out(line) {
	lines[++nout] = line
}

BEGIN {
	relkey = vkey(rel)
	while ((getline line < facts) > 0) {
		eq = index(line, "=")
		fact[substr(line, 1, eq - 1)] = substr(line, eq + 1)
	}
	depth = 0
	inbody = 0
}

/^%if[ \t]/ {
	depth++
	taken[depth] = on[depth] = in_ranges(substr($0, 4))
	next
}
/^%elif[ \t]/ {
	if (depth == 0)
		die("%elif without %if")
	on[depth] = !taken[depth] && in_ranges(substr($0, 6))
	taken[depth] = taken[depth] || on[depth]
	next
}
/^%else[ \t]*$/ {
	if (depth == 0)
		die("%else without %if")
	on[depth] = !taken[depth]
	taken[depth] = 1
	next
}
/^%endif[ \t]*$/ {
	if (depth == 0)
		die("%endif without %if")
	depth--
	next
}
/^%#/ { next }
/^%(new|objs|ltests|librt|include)([ \t]|$)/ {
	if (emitting()) {
		sub(/^%/, "")
		print > actions
	}
	next
}
/^%/ { die("unknown directive: " $0) }

{
	if (!emitting())
		next
	line = $0
	while (match(line, /@[A-Z][A-Z0-9_]*@/)) {
		name = substr(line, RSTART + 1, RLENGTH - 2)
		if (!(name in fact))
			die("no fact " name " for " rel " in glue/facts")
		line = substr(line, 1, RSTART - 1) fact[name] \
		    substr(line, RSTART + RLENGTH)
	}
	if (line ~ /^diff --git /)
		inbody = 1
	# An empty line inside a hunk is an empty context line.
	if (inbody && line == "" && hunk)
		line = " "
	if (line ~ /^@@ /)
		hunk = 1
	else if (line ~ /^diff --git /)
		hunk = 0
	out(line)
}

END {
	if (failed)
		exit 1
	if (depth != 0) {
		printf "%s: %d %%if without %%endif\n", src, depth > "/dev/stderr"
		exit 1
	}
	# Recount each hunk: old = context and removed lines, new = context
	# and added lines.  A hunk that the selection left without a change
	# (a release where the family's code has nothing to replace there)
	# is dropped.
	for (i = 1; i <= nout; i++) {
		if (lines[i] !~ /^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@/) {
			print lines[i]
			continue
		}
		old = new = changed = 0
		for (j = i + 1; j <= nout; j++) {
			c = substr(lines[j], 1, 1)
			if (lines[j] ~ /^(@@ |diff --git )/)
				break
			if (c == " " || c == "-")
				old++
			if (c == " " || c == "+")
				new++
			if (c == "-" || c == "+")
				changed++
		}
		if (changed == 0) {
			i = j - 1
			continue
		}
		split(lines[i], h, " ")
		sub(/,.*/, "", h[2])
		sub(/,.*/, "", h[3])
		rest = lines[i]
		sub(/^@@ [^ ]+ [^ ]+ @@/, "", rest)
		printf "@@ %s,%d %s,%d @@%s\n", h[2], old, h[3], new, rest
	}
}
