#!/bin/sh
# tests/records/run.sh: extract output conforms to docs/records.schema.json,
# for the fixture texts here and, when ../shared is present, the seed; the
# validator itself rejects a broken record (so this check can fail); the
# json and csv formats have their shape.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
bin=${E8K_BIN:-$here/build/edgar8k}
schema=$here/docs/records.schema.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" extract --grammars "$here/grammars" --text "$here"/tests/records/*.txt >"$tmp/out.jsonl"
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
head -n 1 "$tmp/out.csv" | grep -q '^file,offering,field,value,unit,qualifier,document,start,end,rule$'
grep -q ',0,shares_offered,"3200000","shares",' "$tmp/out.csv"
echo "records: ok"
