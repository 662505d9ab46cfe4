#!/bin/sh
# End-to-end tests of `chitieu class`: a classification round on the demo database from the
# command line (criteria and subjects imported, the three steps with their rights, the lock, the
# quota, members' privacy, the rates written as indicator values and stated by the review report).
# Usage: CHITIEU=build/chitieu tests/e2e/class.sh
set -u
BIN=${CHITIEU:-build/chitieu}
case "$BIN" in /*) ;; *) BIN="$(pwd)/$BIN" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
FX="$HERE/fixtures"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CHITIEU_DB="$T/c.db" LANG=vi_VN.UTF-8 LC_ALL= LC_MESSAGES=
pass=0 fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; }
expect_rc() {
  want=$1; shift
  "$@" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "exit $got (want $want): $*"; sed 's/^/  | /' "$T/err" | head -20; fi
}
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$(basename "$1") lacks: $2"; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$(basename "$1") should not contain: $2"; else ok; fi; }

# --- help and usage ---------------------------------------------------------------------
expect_rc 0 "$BIN" class --help
has "$T/out" "chitieu class"
for c in criteria subjects assess appraise decide list quota rates awards export; do
  expect_rc 0 "$BIN" class "$c" --help
  has "$T/out" "chitieu class $c"
done
expect_rc 2 "$BIN" class
expect_rc 2 "$BIN" class frobnicate
has "$T/err" "không có lệnh 'frobnicate'"
expect_rc 2 "$BIN" class list --year 2025 --colour red
expect_rc 2 "$BIN" class list
has "$T/err" "--year"
expect_rc 2 "$BIN" class assess --year 2025 --subject x --user y --score 101 --grade good
has "$T/err" "100"

expect_rc 0 "$BIN" demo
# --- the demo carries a decided round of 2024 and its awards, so /class is filled in ------------------
expect_rc 0 "$BIN" class list --year 2024 --unit ha-noi --user admin
has "$T/out" "14 đối tượng"
has "$T/out" "cau-giay-dich-vong      grassroots  Đảng bộ phường Dịch Vọng      cau-giay-dich-vong      decided  excellent    93"
has "$T/out" "0/3, 0 vượt → fail"
expect_rc 0 "$BIN" class quota --year 2024 --unit cau-giay
has "$T/out" "0 đối tượng xuất sắc vượt hạn mức"
expect_rc 0 "$BIN" class awards list --year 2024
has "$T/out" "Bằng khen của Ban Thường vụ Thành ủy"
expect_rc 0 "$BIN" report --unit cau-giay --period 2024
has "$T/out" "được khen thưởng 4 lượt"
# --- imports: bad files are refused whole, naming file, row and column -------------------
printf 'year,kind,type,code,name,value\n2025,grassroots,item,1,x,60\n2025,grassroots,item,2,y,30\n' >"$T/bad.csv"
expect_rc 1 "$BIN" class criteria import "$T/bad.csv"
has "$T/err" "tổng điểm tối đa các tiêu chí là 90"
printf 'year,kind,type,code,name,value\n2025,cells,item,1,x,100\n' >"$T/bad.csv"
expect_rc 1 "$BIN" class criteria import "$T/bad.csv"
has "$T/err" "dòng 2, cột kind"
# an empty file and a wrong header are refused by every reader, naming the file
: >"$T/empty.csv"
for what in criteria subjects awards; do
  expect_rc 1 "$BIN" class $what import "$T/empty.csv"
  has "$T/err" "empty.csv: tệp rỗng"
done
printf 'year,kind,name\n' >"$T/hdr.csv"
for what in criteria subjects awards; do
  expect_rc 1 "$BIN" class $what import "$T/hdr.csv"
  has "$T/err" "hdr.csv, dòng 1: tiêu đề phải là"
done
expect_rc 0 "$BIN" class criteria import --dry-run "$FX/class_criteria.csv"
expect_rc 0 "$BIN" class criteria list
hasnt "$T/out" "2025,"
expect_rc 0 "$BIN" class criteria import "$FX/class_criteria.csv"
has "$T/out" "Đã nhập 3 bộ tiêu chí (20 dòng)"
expect_rc 0 "$BIN" class criteria list
has "$T/out" "2025,member,fault,NG,Vi phạm trách nhiệm nêu gương,done"
printf 'code,kind,name,unit,group,outstanding\nx,member,X,khong-co,,\n' >"$T/bad.csv"
expect_rc 1 "$BIN" class subjects import "$T/bad.csv"
has "$T/err" "dòng 2, cột unit: không có đơn vị 'khong-co'"
expect_rc 0 "$BIN" class subjects import "$FX/class_subjects.csv"
has "$T/out" "Đã nhập 14 đối tượng"

# --- members are personal data ------------------------------------------------------------
expect_rc 0 "$BIN" class list --year 2025 --unit cau-giay
hasnt "$T/out" "Nguyễn Văn An"
has "$T/err" "3 đảng viên không hiện"
expect_rc 0 "$BIN" class list --year 2025 --user caugiay.xem
hasnt "$T/out" "Nguyễn Văn An"
has "$T/out" "Đảng bộ phường Dịch Vọng"
expect_rc 0 "$BIN" class list --year 2025 --user badinh.nhap --format csv
has "$T/out" "Phạm Thị Dung"
hasnt "$T/out" "Nguyễn Văn An"
expect_rc 0 "$BIN" class list --year 2025 --user caugiay.nhap --format csv
has "$T/out" "dv-001,member,Nguyễn Văn An,cau-giay-dich-vong,none"
hasnt "$T/out" "Phạm Thị Dung"
# the collective's own tasks of the year beside the score (demo tasks of Cầu Giấy)
has "$T/out" "cau-giay,commune,Đảng bộ quận Cầu Giấy,cau-giay,none,,,,,,,"
has "$T/out" "không có nhiệm vụ trong năm"

# --- the round ------------------------------------------------------------------------------
A="--year 2025"
expect_rc 1 "$BIN" class appraise $A --subject cau-giay-dich-vong --user caugiay.duyet --score 92 --grade excellent
has "$T/err" "chưa tự đánh giá"
expect_rc 1 "$BIN" class assess $A --subject cau-giay-dich-vong --user badinh.nhap --score 92 --grade excellent
has "$T/err" "không có quyền"
expect_rc 0 "$BIN" class assess $A --subject cau-giay-dich-vong --user caugiay.nhap --score 92 --grade excellent --comment "Tự đánh giá"
has "$T/out" "Mức cao nhất được phép: Hoàn thành xuất sắc nhiệm vụ"
expect_rc 1 "$BIN" class appraise $A --subject cau-giay-dich-vong --user caugiay.nhap --score 92 --grade excellent
has "$T/err" "không có quyền thẩm định"
expect_rc 0 "$BIN" class appraise $A --subject cau-giay-dich-vong --user caugiay.duyet --score 91 --grade excellent
has "$T/out" "Cảnh báo hạn mức: Đảng bộ phường Dịch Vọng (cau-giay-dich-vong) xếp xuất sắc vượt hạn mức 20% của nhóm grassroots@cau-giay"
# the quota: alone among tốt and above, 20 % of 1 is 0 (rounded down)
expect_rc 1 "$BIN" class decide $A --subject cau-giay-dich-vong --user caugiay.duyet --score 91 --grade excellent
has "$T/err" "vượt hạn mức 20% (tối đa 0 trong 1 đạt tốt trở lên"
expect_rc 0 "$BIN" class quota $A --unit cau-giay
has "$T/out" "cau-giay-dich-vong"
has "$T/out" "1 đối tượng xuất sắc vượt hạn mức"
for w in dich-vong-hau mai-dich nghia-do nghia-tan; do
  expect_rc 0 "$BIN" class assess $A --subject cau-giay-$w --user caugiay.nhap --score 80 --grade good
  expect_rc 0 "$BIN" class appraise $A --subject cau-giay-$w --user caugiay.duyet --score 80 --grade good
  expect_rc 0 "$BIN" class decide $A --subject cau-giay-$w --user caugiay.duyet --score 80 --grade good
done
expect_rc 0 "$BIN" class quota $A --unit cau-giay
has "$T/out" "0 đối tượng xuất sắc vượt hạn mức"
expect_rc 0 "$BIN" class decide $A --subject cau-giay-dich-vong --user caugiay.duyet --score 91 --grade excellent
expect_rc 1 "$BIN" class decide $A --subject cau-giay-dich-vong --user caugiay.duyet --score 91 --grade good
has "$T/err" "kết quả đã khóa"
for w in quan-hoa trung-hoa yen-hoa; do
  expect_rc 0 "$BIN" class assess $A --subject cau-giay-$w --user caugiay.nhap --score 65 --grade done
  expect_rc 0 "$BIN" class appraise $A --subject cau-giay-$w --user caugiay.duyet --score 65 --grade done
  expect_rc 0 "$BIN" class decide $A --subject cau-giay-$w --user caugiay.duyet --score 65 --grade done
done
# beside the score: the collective's own tasks and its targets of the year (Cầu Giấy 2022: 31 met, 12 exceeded)
expect_rc 0 "$BIN" class assess --year 2022 --subject cau-giay --user caugiay.nhap --score 95 --grade excellent
has "$T/out" "Nhiệm vụ trong năm: không có"
has "$T/out" "Chỉ tiêu năm 2022 của đơn vị: 43 có kế hoạch; đạt 31, vượt 12, chưa đạt 0, chưa có số liệu 0"
expect_rc 0 "$BIN" class assess --year 2025 --subject cau-giay --user caugiay.nhap --score 60 --grade fail --today 2025-12-31
has "$T/out" "Nhiệm vụ trong năm: 7; đúng hạn 5, vượt 3, chậm 0, chưa xong 2 → tối đa: Không hoàn thành nhiệm vụ"
# grades capped: a fault, the band edge
expect_rc 1 "$BIN" class assess $A --subject dv-001 --user caugiay.nhap --score 89,99 --grade good --faults NG
has "$T/err" "mức 'good' cao hơn mức được phép 'done'"
expect_rc 1 "$BIN" class assess $A --subject dv-001 --user caugiay.nhap --score 89,99 --grade excellent
expect_rc 0 "$BIN" class assess $A --subject dv-001 --user caugiay.nhap --score 89,99 --grade good
expect_rc 0 "$BIN" class list $A --unit cau-giay-dich-vong --user caugiay.nhap
has "$T/out" "89,99"

# --- the rates as indicator values, stated by the review report -------------------------------
expect_rc 1 "$BIN" class rates $A --user caugiay.duyet
has "$T/err" "chỉ quản trị viên"
expect_rc 0 "$BIN" class rates $A --user admin --dry-run
has "$T/out" "Sẽ ghi 30 số liệu của 10 đơn vị"
expect_rc 0 "$BIN" class rates $A --user admin
has "$T/out" "cau-giay	members	0/3	0	0	0	chưa ghi: còn đối tượng chưa có quyết định"
has "$T/out" "Đã ghi 30 số liệu của 10 đơn vị; bỏ qua 4 (chưa quyết định hết), 0 (đã duyệt)"
expect_rc 0 "$BIN" report --unit cau-giay --period 2025
has "$T/out" "| Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên | % | – | 62,5 |"
has "$T/out" "| Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành xuất sắc nhiệm vụ | % | – | 12,5 |"
expect_rc 0 "$BIN" history --indicator tccsd_htt --unit ha-noi --period 2025
has "$T/out" "admin"

# --- the round as an Excel workbook: summary per unit and the list; members only for a --user allowed
expect_rc 0 "$BIN" class export --year 2025 --unit cau-giay -o "$T/x.xlsx"
unzip -p "$T/x.xlsx" xl/sharedStrings.xml >"$T/strings"
has "$T/strings" "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2025 — Quận ủy Cầu Giấy"
has "$T/strings" "chưa đủ: còn đối tượng chưa có quyết định"
has "$T/strings" "Đảng bộ phường Dịch Vọng Hậu"
hasnt "$T/strings" "Nguyễn Văn An"
unzip -p "$T/x.xlsx" xl/worksheets/sheet1.xml >"$T/sheet1"
has "$T/sheet1" '<c r="C4" s="4"><v>8</v></c><c r="D4" s="4"><v>8</v></c><c r="E4" s="4"><v>1</v></c><c r="F4" s="4"><v>4</v></c><c r="G4" s="4"><v>3</v></c><c r="H4" s="4"><v>0</v></c><c r="I4" s="5"><v>62.5</v></c>'
expect_rc 0 "$BIN" class export --year 2025 --unit cau-giay -o "$T/y.xlsx" --user caugiay.nhap
unzip -p "$T/y.xlsx" xl/sharedStrings.xml >"$T/strings"
has "$T/strings" "Nguyễn Văn An"
expect_rc 2 "$BIN" class export --year 2025 --unit cau-giay
# --- the same round as a Word document in the Party layout: results per unit, then the list of proposals
# the document's text: a paragraph a line, a table row a line with its cells ending in "|"
docx_text() { unzip -p "$1" word/document.xml | sed -e 's|</w:p></w:tc>|\||g' -e 's|</w:tr>|\n|g' -e 's|</w:p>|\n|g' -e 's|<[^>]*>||g'; }
expect_rc 0 "$BIN" class export --year 2025 --unit cau-giay -o "$T/x.docx"
has "$T/out" "Đã ghi $T/x.docx"
docx_text "$T/x.docx" >"$T/doc"
has "$T/doc" "ĐẢNG CỘNG SẢN VIỆT NAM"
has "$T/doc" "QUẬN ỦY CẦU GIẤY"
has "$T/doc" "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"
has "$T/doc" "Số       -BC/QU"
has "$T/doc" "Kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2025"
has "$T/doc" "Tổ chức cơ sở đảng: tổng số 8, đã có quyết định 8; hoàn thành xuất sắc nhiệm vụ 1, hoàn thành tốt nhiệm vụ 4, hoàn thành nhiệm vụ 3, không hoàn thành nhiệm vụ 0; tỷ lệ hoàn thành tốt nhiệm vụ trở lên đạt 62,5%."
has "$T/doc" "1|Quận ủy Cầu Giấy|Tổ chức cơ sở đảng|8|1|4|3|0|62,5|"
has "$T/doc" "2|Quận ủy Cầu Giấy|Đảng viên|3|0|0|0|0|chưa đủ (0/3)|"
has "$T/doc" "1|Đảng bộ phường Dịch Vọng|Đảng ủy phường Dịch Vọng|HTXSNV|91|HTXSNV|Đã quyết định HTXSNV|"
has "$T/doc" "DANH SÁCH"
has "$T/doc" "(Kèm theo Báo cáo số      -BC/QU của Quận ủy Cầu Giấy)"
has "$T/doc" "|Đảng bộ phường Dịch Vọng Hậu|Đảng ủy phường Dịch Vọng Hậu|"
has "$T/doc" "T/M BAN THƯỜNG VỤ"
hasnt "$T/doc" "Nguyễn Văn An"
has "$T/doc" "3 đảng viên không có trong danh sách này"
expect_rc 0 "$BIN" class export --year 2025 --unit cau-giay -o "$T/y.docx" --user caugiay.nhap
docx_text "$T/y.docx" >"$T/doc"
has "$T/doc" "Nguyễn Văn An"
expect_rc 0 "$BIN" class export --year 2025 --unit cau-giay -o "$T/z.bin" --format docx
unzip -l "$T/z.bin" >"$T/out" 2>&1
has "$T/out" "word/document.xml"
expect_rc 2 "$BIN" class export --year 2025 --unit cau-giay -o "$T/z.pdf" --format pdf

# --- the emulation awards register: searchable without diacritics, members' awards private ------
expect_rc 0 "$BIN" class awards --help
has "$T/out" "chitieu class awards"
printf 'year,subject,form,title,issuer,decision,date\n2025,khong-co,merit,X,Y,Z,\n' >"$T/bad.csv"
expect_rc 1 "$BIN" class awards import "$T/bad.csv"
has "$T/err" "dòng 2, cột subject: không có đối tượng 'khong-co'"
expect_rc 0 "$BIN" class awards import "$FX/class_awards.csv"
has "$T/out" "Đã nhập 4 khen thưởng"
expect_rc 0 "$BIN" class awards list --year 2025 --search "bang khen"
has "$T/out" "Bằng khen của Ban Thường vụ Thành ủy"
has "$T/out" "Số 1024-QĐ/TU ngày 15/1/2026"
has "$T/out" "1 khen thưởng"
expect_rc 0 "$BIN" class awards list --year 2025
hasnt "$T/out" "Huy hiệu 30 năm tuổi Đảng"
has "$T/err" "2 khen thưởng của đảng viên không hiện"
expect_rc 0 "$BIN" class awards list --year 2025 --search "huy hieu" --user caugiay.nhap --format csv
has "$T/out" "2025,dv-001,Nguyễn Văn An,badge,Huy hiệu 30 năm tuổi Đảng,Thành ủy Hà Nội,Số 988-QĐ/TU,2025-11-07"
expect_rc 0 "$BIN" class awards list --year 2025 --user badinh.nhap
has "$T/out" "0 khen thưởng"
# the year's awards in the review report's section on emulation: organisations by name, members counted
expect_rc 0 "$BIN" report --unit cau-giay --period 2025
has "$T/out" "## IV. Công tác thi đua, khen thưởng"
has "$T/out" "được khen thưởng 4 lượt: 1 danh hiệu, 1 bằng khen, 1 giấy khen, 1 huy hiệu."
has "$T/out" "- Đảng bộ phường Nghĩa Đô: Bằng khen của Ban Thường vụ Thành ủy (Thành ủy Hà Nội, Số 1024-QĐ/TU ngày 15/1/2026)."
has "$T/out" "- Huy hiệu 30 năm tuổi Đảng: 1."
hasnt "$T/out" "Nguyễn Văn An"
has "$T/out" "## V. Hạn chế, yếu kém"
expect_rc 0 "$BIN" report --unit cau-giay --period 2023
hasnt "$T/out" "thi đua, khen thưởng"
expect_rc 0 "$BIN" report --unit cau-giay --period 2025 --format docx -o "$T/r.docx"
docx_text "$T/r.docx" >"$T/doc"
has "$T/doc" "IV. CÔNG TÁC THI ĐUA, KHEN THƯỞNG"

echo "e2e ${CHITIEU_TEST_PG:+pg}class: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
