#!/bin/sh
# Seeds the fuzz corpora (git-ignored) from the bundled reports and a few queries.
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/ingest corpus/query corpus/pdf
# PDF seeds: the bundled PDFs, and the archive sample's smallest ones when it is beside us.
cp ../corpus/*.pdf corpus/pdf/
if [ -d ../../shared/archive-sample/pdf ]; then
    find ../../shared/archive-sample/pdf -name '*.pdf' -size -180k -exec cp {} corpus/pdf/ \;
fi
for f in ../corpus/*.txt; do
    # Pieces of about 3 kB, cut at line ends: whole reports are too big to mutate quickly.
    split -C 3000 "$f" "corpus/ingest/$(basename "$f" .txt)-"
done
# The titles and cover lines of every kind of report in the archive slice (curly apostrophes,
# wrapped titles, letter heads): the lines that once made the metadata parser panic.
n=0
for f in ../corpus/*-sif*.txt ../corpus/*-ilacs.txt ../corpus/*-focused-visit.txt ../corpus/*-lac-inspection.txt; do
    head -n 30 "$f" > "corpus/ingest/head-$n"
    n=$((n + 1))
done
printf 'Focused visit to Durham\342\200\231s children\342\200\231s services\n' > corpus/ingest/title-durham
# A query seed is one options byte (see fuzz_targets/query.rs) and the query text.
i=0
for q in 'children seen alone' '"return home" interviews -police' \
    '(neglect OR "domestic abuse") AND +plans NOT (police)' '"missing children"~3' \
    'multi-agency AND (MASH OR "front door")' 'care leavers' 'sheffield-city-council/2014-inspection/41'; do
    for flags in '\000' '\001' '\006' '\077' '\200'; do
        printf "$flags%s" "$q" > "corpus/query/seed-$i"
        i=$((i + 1))
    done
done
