#!/usr/bin/env python3
"""partitions.py: checks the data files of a partitioned Iceberg table
against the rows of its source.

Reads `floe iceberg files TABLE --format json` (one JSON object per live
file) and the output of `floe --format csv -c "SELECT count(*) ... GROUP BY
<partition columns>"` (one count per distinct value tuple of the partition
columns, with a header). Checks: the number of distinct partition values in
the files equals the number of distinct source value tuples; the multiset
of per-partition row counts (sum of the files' record_count) equals the
multiset of group counts; every partition has at most MAX_FILES files.
Prints one line "partitions=P files=F max_files_per_partition=M" and exit
status 0, or the differences and 1.

usage: partitions.py FILES.json GROUPS.csv MAX_FILES
"""
import json
import sys


def main():
    files_path, groups_path, max_files = sys.argv[1], sys.argv[2], int(sys.argv[3])
    per_part, file_count = {}, {}
    for line in open(files_path):
        line = line.strip()
        if not line:
            continue
        f = json.loads(line)
        if f.get('content') != 'data':
            continue
        key = f['partition']
        per_part[key] = per_part.get(key, 0) + int(f['record_count'])
        file_count[key] = file_count.get(key, 0) + 1
    groups = [int(l.strip()) for l in open(groups_path).read().split('\n')[1:] if l.strip()]
    problems = []
    if len(per_part) != len(groups):
        problems.append(f'{len(per_part)} partitions in the files, {len(groups)} distinct values in the source')
    if sorted(per_part.values()) != sorted(groups):
        problems.append('row counts per partition differ from the source groups')
    worst = max(file_count.values()) if file_count else 0
    if worst > max_files:
        over = [k for k, v in file_count.items() if v > max_files][:3]
        problems.append(f'{worst} files in one partition (more than {max_files}): {over}')
    print(f'partitions={len(per_part)} files={sum(file_count.values())} max_files_per_partition={worst}')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
