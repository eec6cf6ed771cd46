#!/bin/sh
# SPDX-License-Identifier: MIT
# tests/records/run.sh: extract output conforms to docs/records.schema.json,
# for the fixture texts here, a fixture filing and, when ../shared is
# present, the seed; the validator itself rejects a broken record (so this
# check can fail); the json and csv formats have their shape; records and
# validation reports name their filing; the schema's version is the one
# `edgar8k --version` names.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-$here/build/edgar8k}
schema=$here/docs/records.schema.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" extract --grammars "$here/grammars" --text "$here"/tests/records/*.txt >"$tmp/out.jsonl"
sgml=$here/fixtures/validate-sgml-html/input.txt
"$bin" extract --grammars "$here/grammars" "$sgml" >>"$tmp/out.jsonl"
seed=$here/../shared/seeds/capstone-8k-2007-01-18.txt
if [ -r "$seed" ]; then
    "$bin" extract --grammars "$here/grammars" "$seed" >>"$tmp/out.jsonl"
fi
python3 "$here/tests/records/validate.py" "$schema" "$tmp/out.jsonl"
# A record without its provenance must be refused.
head -n 1 "$tmp/out.jsonl" | sed 's/"rule":/"rulx":/g' >"$tmp/bad.jsonl"
if python3 "$here/tests/records/validate.py" "$schema" "$tmp/bad.jsonl" >/dev/null; then
    echo "records: the validator accepted a record without rule ids" >&2
    exit 1
fi
# The other formats: one JSON array, and CSV with its header and a row per
# chosen offering field.
"$bin" extract --grammars "$here/grammars" --text --format json \
    "$here"/tests/records/*.txt >"$tmp/out.json"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert isinstance(a, list) and a and "offerings" in a[0]' "$tmp/out.json"
"$bin" extract --grammars "$here/grammars" --text --format csv \
    "$here"/tests/records/offering.txt >"$tmp/out.csv"
head -n 1 "$tmp/out.csv" | grep -q '^file,accession,form_type,filed,period,cik,company,offering,field,value,unit,qualifier,document,start,end,rule'"$(printf '\r')"'$'
grep -q '"","","","","","",0,shares_offered,"3200000","shares",' "$tmp/out.csv"
# Records name their filing: in JSON (validate, extract), CSV and the
# validation report; a text read alone has none.
python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert recs[0]["filing"] is None, recs[0]["filing"]
f = recs[-1]["filing"] if "capstone" not in recs[-1]["file"] else recs[-2]["filing"]
want = {"accession": "0009990007-21-000042", "form_type": "8-K",
        "filed": "2021-06-01", "period": "2021-05-28",
        "entities": [{"role": "filer", "cik": "0009990007",
                      "name": "BLUE HERON THERAPEUTICS INC"}]}
assert f == want, f
PY
"$bin" extract --grammars "$here/grammars" --format csv --no-header "$sgml" >"$tmp/sgml.csv"
grep -q '^"[^"]*input.txt","0009990007-21-000042","8-K","2021-06-01","2021-05-28","0009990007","BLUE HERON THERAPEUTICS INC",0,shares_offered,"2400000",' "$tmp/sgml.csv"
if grep -q '^file,' "$tmp/sgml.csv"; then
    echo "records: --no-header printed the header" >&2
    exit 1
fi
"$bin" validate --format jsonl --grammars "$here/grammars" "$sgml" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["filing"]["accession"] == "0009990007-21-000042", r["filing"]'
"$bin" validate --format table --grammars "$here/grammars" "$sgml" |
    head -n 1 | grep -q '(0009990007-21-000042, BLUE HERON THERAPEUTICS INC, 8-K filed 2021-06-01): 0 failed$'
# The schema's version is the one the binary writes and names.
v=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$schema")
"$bin" --version | grep -qx "records schema $v"
# RFC 4180 whatever a document's type holds: a comma, a quote, a line
# break are quoted, so every row keeps its columns.
sed 's/^<TYPE>EX-99.1$/<TYPE>EX-99.1, "PRESS" RELEASE/' "$here/fixtures/validate-sgml-html/input.txt" >"$tmp/type.txt"
"$bin" extract --grammars "$here/grammars" --format csv "$tmp/type.txt" >"$tmp/type.csv"
python3 - "$tmp/type.csv" <<'PY'
import csv, sys
data = open(sys.argv[1], newline="").read()
assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", ""), "lines must end in CRLF"
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) > 10 and all(len(r) == 16 for r in rows), [r for r in rows if len(r) != 16][:3]
assert any(r[12] == 'EX-99.1, "PRESS" RELEASE' for r in rows), "document type not kept"
PY
echo "records: ok"
