#!/usr/bin/env python3
"""gen_2025.py - the demo's two-level structure from 1/7/2025 (issue 12), hand-made, illustrative.

Writes units_2025.csv (the new wards of the three seed districts), successions.csv (old wards ->
new wards, from,to,date,share), terms_2025.csv, targets_2025.csv (term 2025-2030 and year 2026 on
the new wards) and values_2025.csv (old wards 2025S1, new wards 2025S2 and 2026S1), then checks
them.  Ward NAMES are the real new wards of Resolution 1656/NQ-UBTVQH15 (16/6/2025); which old
ward goes where, the SHARES and every FIGURE are illustrative (see README.md).
Usage: python3 data/demo/gen_2025.py [--check]   (standard library only; same bytes every run)
"""
import csv, os, sys

OUT = os.path.dirname(os.path.abspath(__file__))
DATE = "1/7/2025"
ILL = "Số liệu minh họa"
# new ward code, name, [(old ward code, share)]; the old codes are those of units.csv
NEW = [
    ("phuong-ba-dinh", "Đảng ủy phường Ba Đình", [("ba-dinh-truc-bach", 1), ("ba-dinh-quan-thanh", 1),
        ("ba-dinh-nguyen-trung-truc", 1), ("ba-dinh-phuc-xa", 1), ("ba-dinh-dien-bien", 1),
        ("ba-dinh-doi-can", 0.5), ("ba-dinh-kim-ma", 0.5)]),
    ("ngoc-ha", "Đảng ủy phường Ngọc Hà", [("ba-dinh-vinh-phuc", 1), ("ba-dinh-cong-vi", 1),
        ("ba-dinh-lieu-giai", 1), ("ba-dinh-ngoc-ha", 1), ("ba-dinh-doi-can", 0.5)]),
    ("giang-vo", "Đảng ủy phường Giảng Võ", [("ba-dinh-giang-vo", 1), ("ba-dinh-ngoc-khanh", 1),
        ("ba-dinh-thanh-cong", 1), ("ba-dinh-kim-ma", 0.5)]),
    ("phuong-cau-giay", "Đảng ủy phường Cầu Giấy", [("cau-giay-dich-vong", 1), ("cau-giay-dich-vong-hau", 1),
        ("cau-giay-quan-hoa", 1), ("cau-giay-mai-dich", 0.4)]),
    ("nghia-do", "Đảng ủy phường Nghĩa Đô", [("cau-giay-nghia-do", 1), ("cau-giay-nghia-tan", 1),
        ("cau-giay-mai-dich", 0.6)]),
    ("yen-hoa", "Đảng ủy phường Yên Hòa", [("cau-giay-yen-hoa", 1), ("cau-giay-trung-hoa", 1)]),
    ("phuong-thanh-xuan", "Đảng ủy phường Thanh Xuân", [("thanh-xuan-thanh-xuan-trung", 1),
        ("thanh-xuan-thanh-xuan-bac", 1), ("thanh-xuan-thanh-xuan-nam", 1), ("thanh-xuan-nhan-chinh", 1),
        ("thanh-xuan-thuong-dinh", 0.5)]),
    ("khuong-dinh", "Đảng ủy phường Khương Đình", [("thanh-xuan-khuong-dinh", 1), ("thanh-xuan-ha-dinh", 1),
        ("thanh-xuan-kim-giang", 1), ("thanh-xuan-thuong-dinh", 0.5)]),
    ("phuong-liet", "Đảng ủy phường Phương Liệt", [("thanh-xuan-phuong-liet", 1), ("thanh-xuan-khuong-mai", 1),
        ("thanh-xuan-khuong-trung", 1)]),
]
INDS = ("ket_nap_dang_vien", "viec_lam")
# growth of each new ward's 2026S1 over its area's 2025S1, in % (illustrative; one falls)
GROWTH = {"phuong-ba-dinh": 8, "ngoc-ha": 12, "giang-vo": 5, "phuong-cau-giay": 10, "nghia-do": -4,
          "yen-hoa": 15, "phuong-thanh-xuan": 6, "khuong-dinh": 9, "phuong-liet": 3}

def read(name):
    with open(os.path.join(OUT, name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))

def write(name, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)

def old_2025s1():
    """Old ward's 2025S1: half of its 2023 figure, plus 1 for odd-numbered wards (illustrative)."""
    v23 = {(r[0], r[1]): int(float(r[3])) for r in read("values_wards.csv")[1:] if r[2] == "2023"}
    olds = sorted({o for _, _, ps in NEW for o, _ in ps})
    return {(i, o): v23[(i, o)] // 2 + (k % 2) for i in INDS for k, o in enumerate(olds)}

def converted(s1, i, preds):
    return sum(share * s1[(i, o)] for o, share in preds)

def figures():
    s1 = old_2025s1()
    vals, tgts = {}, {}
    for code, _, preds in NEW:
        for i in INDS:
            area = converted(s1, i, preds)                                  # the area's 2025S1
            vals[(i, code, "2025S2")] = round(area * 1.04)
            vals[(i, code, "2026S1")] = round(area * (100 + GROWTH[code]) / 100)
            tgts[(i, code, "2026")] = round(area * 2.1)
            tgts[(i, code, "2025-2030")] = round(area * 2.1) * 5 + round(area * 2)
    return s1, vals, tgts

def generate():
    s1, vals, tgts = figures()
    write("units_2025.csv", [["code", "name", "parent", "type", "valid_from", "valid_to"]] +
          [[c, n, "ha-noi", "Đảng ủy phường", "2025-07-01", ""] for c, n, _ in NEW])
    write("successions.csv", [["from", "to", "date", "share"]] +
          [[o, c, DATE, str(s)] for c, _, ps in NEW for o, s in ps])
    write("terms_2025.csv", [["period", "name"], ["2025-2030", "Nhiệm kỳ 2025–2030"]])
    write("targets_2025.csv", [["indicator", "unit", "period", "target"]] +
          [[i, u, p, str(v)] for (i, u, p), v in sorted(tgts.items())])
    write("values_2025.csv", [["indicator", "unit", "period", "value", "comment"]] +
          [[i, o, "2025S1", str(v), ILL] for (i, o), v in sorted(s1.items())] +
          [[i, u, p, str(v), ILL + " (sau sắp xếp, từ 1/7/2025)"] for (i, u, p), v in sorted(vals.items())])

def check():
    units = {r[0]: r for r in read("units.csv")[1:]}
    new = {r[0]: r for r in read("units_2025.csv")[1:]}
    wards = [c for c, r in units.items() if r[2] in ("ba-dinh", "cau-giay", "thanh-xuan")]
    assert len(wards) == 33 and len(new) == 9
    share = {}
    for f, t, d, s in read("successions.csv")[1:]:
        assert f in units and units[f][5] == "2025-06-30" and t in new and d == DATE
        share[f] = share.get(f, 0) + float(s)
    assert sorted(share) == sorted(wards), "every old ward of the three districts passes on"
    assert all(abs(v - 1) < 1e-9 for v in share.values()), share
    s1, vals, tgts = figures()
    # the hand-checked example of README.md and tests/e2e/run.sh: Ngọc Hà, kết nạp đảng viên
    assert [s1[("ket_nap_dang_vien", o)] for o in ("ba-dinh-vinh-phuc", "ba-dinh-cong-vi", "ba-dinh-lieu-giai",
            "ba-dinh-ngoc-ha", "ba-dinh-doi-can")] == EXAMPLE_S1, [s1[("ket_nap_dang_vien", o)] for o in (
            "ba-dinh-vinh-phuc", "ba-dinh-cong-vi", "ba-dinh-lieu-giai", "ba-dinh-ngoc-ha", "ba-dinh-doi-can")]
    assert vals[("ket_nap_dang_vien", "ngoc-ha", "2026S1")] == EXAMPLE_2026S1
    for n in ("values_2025.csv", "targets_2025.csv"):
        for r in read(n)[1:]:
            assert r[1] in units or r[1] in new, r
    return len(new), len(share), len(tgts), len(s1) + len(vals)

EXAMPLE_S1 = [8, 6, 7, 9, 7]  # 2025S1 of Vĩnh Phúc, Cống Vị, Liễu Giai, Ngọc Hà, Đội Cấn (x 0,5)
EXAMPLE_2026S1 = 38        # 33,5 x 1,12 = 37,52

if __name__ == "__main__":
    if "--check" not in sys.argv:
        generate()
    print("new wards %d, old wards passing on %d, targets %d, values %d; checks passed" % check())
