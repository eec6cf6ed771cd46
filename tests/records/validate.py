#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tests/records/validate.py: validates `edgar8k extract` output against
docs/records.schema.json with a small draft-07 subset validator (type,
enum, required, properties, additionalProperties, items, minItems,
maxItems, minimum, allOf, $ref), so the check needs no python module.

usage: validate.py SCHEMA [JSONL-FILE...]   (stdin when no file)
Exit status 1 and one line per violation when the output does not conform.
"""
import json
import sys

TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool,
    "null": type(None),
}


def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def resolve(root, ref):
    node = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def check(root, s, v, path, errs):
    if "$ref" in s:
        check(root, resolve(root, s["$ref"]), v, path, errs)
    for sub in s.get("allOf", []):
        check(root, sub, v, path, errs)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append("%s: %r is not of type %s" % (path, v, ts))
            return
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r not in %s" % (path, v, s["enum"]))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: missing %s" % (path, k))
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                check(root, props[k], x, path + "." + k, errs)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected property %s" % (path, k))
            elif isinstance(s.get("additionalProperties"), dict):
                check(root, s["additionalProperties"], x, path + "." + k, errs)
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0) or len(v) > s.get("maxItems", 1 << 60):
            errs.append("%s: %d items" % (path, len(v)))
        if "items" in s:
            for i, x in enumerate(v):
                check(root, s["items"], x, "%s[%d]" % (path, i), errs)
    if "minimum" in s and is_type(v, "number") and v < s["minimum"]:
        errs.append("%s: %r below %r" % (path, v, s["minimum"]))


def main():
    schema = json.load(open(sys.argv[1]))
    streams = [open(p) for p in sys.argv[2:]] or [sys.stdin]
    errs, n = [], 0
    for f in streams:
        for line in f:
            if line.strip():
                n += 1
                check(schema, schema, json.loads(line), "$", errs)
    for e in errs[:50]:
        print("schema: " + e)
    print("validate.py: %d records, %d violations" % (n, len(errs)))
    return 1 if errs or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
