# bench/http/units.sh - sourced by the server benchmarks (country.sh, saves.sh, saves_busy.sh):
# bench_units UNITS_CSV sets root (the unit without a parent), commune (the first "Đảng ủy xã")
# and leaf (below the commune, first children followed down) from a `chitieu gen` units.csv
# (code,name,parent,type,...).
bench_units() {
  root=$(awk -F, 'NR > 1 && $3 == "" { print $1; exit }' "$1")
  commune=$(awk -F, 'NR > 1 && $4 == "Đảng ủy xã" { print $1; exit }' "$1")
  leaf=$commune
  while child=$(awk -F, -v p="$leaf" 'NR > 1 && $3 == p { print $1; exit }' "$1") && [ -n "$child" ]; do
    leaf=$child
  done
}
