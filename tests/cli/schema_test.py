#!/usr/bin/env python3
"""The editor schemas (`blackboard schema`) against an independent validator (python3-jsonschema).

Checks: the shipped schemas in assets/schema equal `blackboard schema` output (regenerate them with the
command printed on failure); both are valid draft 2020-12 schemas; every shipped scenario and lecture
validates; every file of the bad-scenario corpus is rejected by `blackboard eval` (exit 2) and by the
validator, except the SEMANTIC_ONLY ones (cross-field rules a schema cannot state), which must pass
the schema (so that this list stays honest); a misspelt field is flagged by both.

usage: schema_test.py BLACKBOARD_EXE REPO_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    sys.exit("schema_test: python3-jsonschema is missing (./blackboard.sh test installs it)")

# Rules between fields, checked by ValidateScenario only: divisibility, top-k <= experts, a preset's
# values (MLA latent, layer counts) against the file's, cluster size against the plan.
SEMANTIC_ONLY = {
    "experts-active-above-experts",  # experts_active <= the preset's experts
    "kv-heads-not-dividing-heads",  # heads % kv_heads
    "mla-without-latent",  # attention = mla needs kv_latent >= 1 (the preset's value may supply it)
    "serving-ep-not-dividing-experts",  # experts % ep
    "serving-ep-on-dense-model",  # ep > 1 needs a MoE model (from the preset)
    "serving-pp-exceeds-racks",  # pp <= cluster.racks
    "serving-pp-more-than-layers",  # pp <= model.layers
    "serving-stage-exceeds-rack",  # tp x ep <= chips_per_rack
    "serving-tp-not-dividing-heads",  # heads % tp
    "training-ep-not-dividing-experts",  # experts % ep
    "training-pp-more-than-layers",  # pp <= model.layers
    "training-tp-not-dividing-heads",  # heads % tp
}

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def run(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120)


def validator_for(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator, path):
    """The validator's complaints about a file ([] = valid); unparseable JSON is one complaint."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except ValueError as e:
        return [f"not JSON: {e}"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def main():
    exe, repo = sys.argv[1], sys.argv[2]
    schemas = {}
    for kind in ("scenario", "lecture"):
        r = run(exe, "schema", kind)
        check(r.returncode == 0, f"blackboard schema {kind}: exit {r.returncode}: {r.stderr}")
        schemas[kind] = json.loads(r.stdout)
        shipped = os.path.join(repo, "assets", "schema", f"{kind}.schema.json")
        with open(shipped, encoding="utf-8") as f:
            check(json.load(f) == schemas[kind],
                  f"{shipped} differs from `blackboard schema {kind}` (a field was added or changed?); regenerate: "
                  f"blackboard schema {kind} > assets/schema/{kind}.schema.json")
    scenario = validator_for(schemas["scenario"])
    lecture = validator_for(schemas["lecture"])

    # Every shipped file names its schema and validates.
    shipped = [("scenario", os.path.join(repo, "assets", "scenarios", n))
               for n in sorted(os.listdir(os.path.join(repo, "assets", "scenarios")))]
    shipped += [("lecture", os.path.join(repo, "assets", "lectures", n))
                for n in sorted(os.listdir(os.path.join(repo, "assets", "lectures")))]
    check(len(shipped) >= 6, f"expected the shipped scenarios and lectures, found {len(shipped)}")
    for kind, path in shipped:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        check(doc.get("$schema") == f"../schema/{kind}.schema.json",
              f"{path}: \"$schema\" should be ../schema/{kind}.schema.json")
        errors = schema_errors(scenario if kind == "scenario" else lecture, path)
        check(not errors, f"{path} does not validate: {errors[:3]}")
        r = run(exe, "eval", path) if kind == "scenario" else None
        check(r is None or r.returncode == 0, f"blackboard eval {path}: exit {r and r.returncode}: {r and r.stderr}")

    # The bad corpus: blackboard rejects every file; the schema rejects all but the semantic ones.
    corpus = os.path.join(repo, "tests", "fixtures", "bad_scenarios")
    names = sorted(n[:-5] for n in os.listdir(corpus) if n.endswith(".json"))
    check(len(names) >= 30, f"expected the bad-scenario corpus, found {len(names)} files")
    check(SEMANTIC_ONLY <= set(names), f"SEMANTIC_ONLY names missing from the corpus: {SEMANTIC_ONLY - set(names)}")
    rejected_by_schema = 0
    for name in names:
        path = os.path.join(corpus, name + ".json")
        r = run(exe, "eval", path)
        check(r.returncode == 2, f"blackboard eval {name}.json: exit {r.returncode}, expected 2")
        errors = schema_errors(scenario, path)
        if name in SEMANTIC_ONLY:
            check(not errors, f"{name}.json is listed as semantic-only but the schema rejects it: {errors[:2]}")
        else:
            check(bool(errors), f"{name}.json: blackboard rejects it but the schema accepts it")
            rejected_by_schema += bool(errors)
    print(f"bad corpus: {len(names)} files, blackboard rejects all, the schema rejects {rejected_by_schema}, "
          f"{len(SEMANTIC_ONLY)} are cross-field rules only")

    # An editor flags a misspelt field; so does blackboard; both take the correct spelling.
    with tempfile.TemporaryDirectory() as tmp:
        cases = [
            ('{"serving": {"bacth": 64}}', False),
            ('{"hardwre": "h100-sxm"}', False),
            ('{"model": {"preset": "llama-3-70b", "layres": 80}}', False),
            ('{"$schema": "../schema/scenario.schema.json", "serving": {"batch": 64}}', True),
            ('{"$schema": 3}', False),
            ('{"model": {"preset": "llama-3-70b", "layers": 80}, "efficiency": {"calibration": "roofline", '
             '"memory": 0.9}}', True),
        ]
        for i, (text, valid) in enumerate(cases):
            path = os.path.join(tmp, f"case{i}.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            errors = schema_errors(scenario, path)
            r = run(exe, "eval", path)
            check((not errors) == valid, f"schema on {text}: expected {'valid' if valid else 'invalid'}, got {errors}")
            check((r.returncode == 0) == valid, f"blackboard eval {text}: exit {r.returncode} {r.stderr.strip()}")
        # A lecture step with a misspelt board and a misspelt --set path.
        for text in ('{"steps": [{"board": "bach"}]}', '{"steps": [{"board": "batch", "set": {"serving.bach": 1}}]}'):
            path = os.path.join(tmp, "lecture.json")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            check(bool(schema_errors(lecture, path)), f"lecture schema accepts {text}")
            r = run(exe, "render", "step", path, "--out", os.path.join(tmp, "x.svg"))
            check(r.returncode == 2, f"blackboard render step {text}: exit {r.returncode}")

    for f in failures:
        print("FAIL:", f)
    print(f"schema_test: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
