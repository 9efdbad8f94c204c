#!/usr/bin/env python3
"""Every citation id the code uses resolves in docs/references.md (issue 14: ids such as KOR-A9,
MEG-F9, NC-2 and lecture.md §1.9 pointed outside the repository). Fails naming the id and a file
that cites it; tools/gen_references.py regenerates the document."""
import os, re, sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
os.chdir(root)
doc = open("docs/references.md", encoding="utf-8").read()
resolved = set(re.findall(r"^\| ([A-Z][A-Z0-9]{1,5}-[A-Z]?[0-9]{1,3}[a-z]?) \|", doc, re.M))
sections = set(re.findall(r"^\| §([0-9.]+[a-z]?) \|", doc, re.M))
ID = re.compile(r"\b([A-Z][A-Z0-9]{1,5})-([A-Z]?[0-9]{1,3}[a-z]?)\b")
NOT_IDS = {"UTF", "GPT", "FNV", "GQA"}
problems, cited = [], 0
for top in ("core", "app", "tests"):
    for base, _, files in os.walk(top):
        for f in files:
            if not f.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(base, f)
            text = open(path, encoding="utf-8", errors="replace").read()
            for m in ID.finditer(text):
                if m.group(1) in NOT_IDS:
                    continue
                cited += 1
                if m.group(0) not in resolved:
                    problems.append(f"{path}: {m.group(0)} is not in docs/references.md")
            for m in re.finditer(r"lecture\.md §[^)\n]*", text):
                for s in re.findall(r"§\s?([0-9]+\.[0-9]+[a-z]?)", m.group(0)):
                    cited += 1
                    if s not in sections and re.sub(r"[a-z]$", "", s) not in sections:
                        problems.append(f"{path}: lecture.md §{s} is not in docs/references.md")
for p in sorted(set(problems)):
    print(p)
print(f"{cited} citations checked, {len(set(problems))} unresolved (regenerate: tools/gen_references.py)")
sys.exit(1 if problems else 0)
