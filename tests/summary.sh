#!/bin/sh
# Prints the closing lines for `make test` from the suite's log: the cmocka and end-to-end
# counts added up, as "test: N passed, N failed"; before it, given the stamps tests/stamp.pl
# wrote (TIMES), the whole run's time and its ten slowest parts (a part runs from its stamp to
# the next, builds included), so what pushes the suite towards CI's 30 minutes is seen.
log=$1
times=${2:-}
if [ -n "$times" ] && [ -s "$times" ]; then
  awk '
    { t = $1; if (NR > 1) { d = t - prev; printf "%6d s  %s\n", d, name }
      prev = t; name = substr($0, length($1) + 2) }
    END { printf "%6d s  total\n", prev > "/dev/stderr" }' "$times" 2>"$times.total" \
    | sort -rn | head -n 10 | sed 's/^/slowest: /'
  sed 's/^/time: /' "$times.total"
  rm -f "$times.total"
fi
awk '
  /\[  PASSED  \] [0-9]+ test/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { pass += $i; break } }
  /\[  FAILED  \] [0-9]+ test/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { fail += $i; break } }
  /^(e2e|browser|web|api)( [a-z]+)?: [0-9]+ passed, [0-9]+ failed/ {
    n = $2 ~ /:$/ ? 3 : 2               # "e2e: 5 passed, ..." or "e2e class: 5 passed, ..."
    pass += $n; fail += $(n + 2) }
  /^Done [0-9]+ runs/ { fuzz++ }
  END { printf "test: %d passed, %d failed\n", pass, fail
        if (pass == 0) print "test: no test ran (is the log complete?)"
        if (fail || pass == 0) exit 1 }' "$log"
