#!/usr/bin/env python3
"""Writes docs/references.md: every citation id the code uses (KOR-A9, MEG-F9, NC-2, lecture.md §1.9,
validation rows such as TT-T1) resolved to its source, section and the formula or figure it names.

Run from the repository root with the team's reference folder beside it:
    tools/gen_references.py ../shared/reference > docs/references.md
tests/docs/references_test.py checks that every id in the code resolves in docs/references.md."""
import os, re, sys

ref_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"
ID = re.compile(r"\b([A-Z][A-Z0-9]{1,5})-([A-Z]?[0-9]{1,3}[a-z]?)\b")
LECTURE = re.compile(r"lecture\.md §\s?([0-9]+(?:\.[0-9]+)?[a-z]?)")
NOT_IDS = {"UTF", "GPT", "FNV", "GQA"}  # UTF-8, GPT-3, FNV-1a, GQA-8 (8 KV heads): words, not citations

def code_files():
    for top in ("core", "app", "tests"):
        for root, _, files in os.walk(top):
            for f in files:
                if f.endswith((".cpp", ".hpp")):
                    yield os.path.join(root, f)

used, sections_used = set(), set()
for path in code_files():
    text = open(path, encoding="utf-8", errors="replace").read()
    for m in ID.finditer(text):
        if m.group(1) not in NOT_IDS:
            used.add(m.group(0))
    for m in LECTURE.finditer(text):
        sections_used.add(m.group(1))
    # "§1.11a-e" style and "lecture.md §1.3-1.4" ranges: the section numbers after the first
    for m in re.finditer(r"lecture\.md §[^)\n]*", text):
        for s in re.findall(r"§\s?([0-9]+\.[0-9]+)", m.group(0)):
            sections_used.add(s)

rows, heading = {}, ""
for line in open(os.path.join(ref_dir, "published-numbers.md"), encoding="utf-8"):
    if line.startswith("#"):
        heading = line.strip("# \n")
        if line.startswith("## "):
            paper = heading
        continue
    m = re.match(r"\|\s*\**([A-Z][A-Z0-9]{1,5}-[A-Z]?[0-9]{1,3}[a-z]?(?:-[0-9]+)?)\**\s*\|(.*)", line)
    if m:
        cells = [c.strip() for c in m.group(2).strip().strip("|").split("|")]
        rows[m.group(1)] = (paper, heading, " · ".join(c for c in cells if c))

lecture = {}
for line in open(os.path.join(ref_dir, "lecture.md"), encoding="utf-8"):
    m = re.match(r"#{2,4} ([0-9]+(?:\.[0-9]+)?)\.? (.*)", line)
    if m:
        lecture[m.group(1)] = m.group(2).strip()

validation = open("docs/validation.md", encoding="utf-8").read()

out = ["# Citation ids used in the code", "",
       "Every id a comment or test cites, resolved. Formula and table ids (MEG-F2, KOR-A1, ...) come from",
       "the team's reference of published numbers (each row read in the primary source: paper, section,",
       "equation or table); `lecture.md §N` is a section of the lecture reference; calibration rows",
       "(TT-..., DSV3-6, ...) are in docs/validation.md. Regenerate with `tools/gen_references.py`;",
       "`tests/docs/references_test.py` fails when the code cites an id this file does not resolve.", "",
       "## Formulas, tables and figures", "", "| id | source | section | what it is |", "|---|---|---|---|"]
missing = []
def family(i):  # KOR-T5 -> rows KOR-T5-1.. of the table
    return sorted(k for k in rows if k.startswith(i + "-"))
for i in sorted(used):
    if i in rows:
        paper, head, text = rows[i]
        out.append(f"| {i} | {paper} | {head} | {text.replace('|', '/')} |")
    elif family(i):
        paper, head, _ = rows[family(i)[0]]
        out.append(f"| {i} | {paper} | {head} | the table's rows {family(i)[0]} to {family(i)[-1]} |")
    elif re.search(r"\b" + re.escape(i) + r"\b", validation):
        out.append(f"| {i} | docs/validation.md | calibration and check rows | a row of the table there (source, configuration, published figure) |")
    else:
        missing.append(i)
out += ["", "## The lecture reference (`lecture.md §N`)", "",
        "Sections of the team's reference on Reiner Pope's lecture, the ESTI paper and the Scaling Book.", "",
        "| section | title |", "|---|---|"]
for s in sorted(sections_used, key=lambda x: [int(p) if p.isdigit() else p for p in re.split(r"[.]", re.sub(r"[a-z]$", "", x))]):
    key = re.sub(r"[a-z]$", "", s)
    if key in lecture:
        out.append(f"| §{s} | {lecture[key]} |")
    else:
        missing.append("lecture.md §" + s)
print("\n".join(out))
if missing:
    print("unresolved: " + ", ".join(sorted(missing)), file=sys.stderr)
    sys.exit(1)
