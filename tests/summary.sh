#!/bin/sh
# Prints one closing line for `make test` from the suite's log: the cmocka and end-to-end
# counts added up, as "test: N passed, N failed".
log=$1
awk '
  /\[  PASSED  \] [0-9]+ test/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { pass += $i; break } }
  /\[  FAILED  \] [0-9]+ test/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { fail += $i; break } }
  /^(e2e|browser|web|api)( [a-z]+)?: [0-9]+ passed, [0-9]+ failed/ {
    n = $2 ~ /:$/ ? 3 : 2               # "e2e: 5 passed, ..." or "e2e class: 5 passed, ..."
    pass += $n; fail += $(n + 2) }
  /^Done [0-9]+ runs/ { fuzz++ }
  END { printf "test: %d passed, %d failed\n", pass, fail; if (fail) exit 1 }' "$log"
