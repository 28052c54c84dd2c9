#!/usr/bin/env python3
"""schema_check.py: compares the columns of the tables floe generates or
creates with the TPC-DS DDL files of shared/tpcds/schema.

Each DDL file <table>.sql holds one CREATE TABLE; its columns (name, type,
NOT NULL) are the reference. Types compare after one normalization: Iceberg
and Parquet keep no string length, so varchar(N) and char(N) compare as
varchar; decimal(P,S) must match exactly, as must integer and date.

usage:
  schema_check.py describe SCHEMA_DIR TABLE DESCRIBE.csv
      DESCRIBE.csv is `floe --format csv -c "DESCRIBE ns.TABLE"` (columns
      column_name,column_type,null); names, order and types must match.
  schema_check.py parquet SCHEMA_DIR TABLE SCHEMA.txt
      SCHEMA.txt is `floe parquet schema TABLE.parquet`; names, order,
      types and nullability (DDL NOT NULL = Parquet required) must match.
Exit status 0 when equal, 1 with every difference printed otherwise.
"""
import csv
import re
import sys


def ddl_columns(path):
    sql = open(path).read()
    body = sql[sql.index('(') + 1:sql.rindex(')')]
    items, depth, cur = [], 0, ''
    for ch in body:
        if ch == '(':
            depth += 1
        if ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            items.append(cur)
            cur = ''
        else:
            cur += ch
    items.append(cur)
    cols = []
    for item in (s.strip() for s in items):
        if not item or re.match(r'(primary|unique|foreign|constraint|check)\b', item, re.I):
            continue
        m = re.match(r'(\S+)\s+(.*?)\s*$', item, re.S)
        name, rest = m.group(1).lower(), m.group(2)
        not_null = re.search(r'\bnot\s+null\b', rest, re.I) is not None
        typ = re.sub(r'\s+(not\s+null|null|primary\s+key)\b.*$', '', rest, flags=re.I | re.S)
        cols.append((name, norm_type(typ), not_null))
    return cols


def norm_type(t):
    t = re.sub(r'\s+', '', t.lower())
    t = re.sub(r'^(varchar|char|character|charactervarying|string|text)(\(\d+\))?$', 'varchar', t)
    if t in ('int', 'int4'):
        t = 'integer'
    return t


def describe_columns(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f))
    return [(r[0].lower(), norm_type(r[1]), None) for r in rows[1:] if r]


def parquet_columns(path):
    cols = []
    for line in open(path):
        m = re.match(r'\s+(\S+): (\S+) \[[^\]]*\] (not null|nullable)', line)
        if m:
            cols.append((m.group(1).lower(), norm_type(m.group(2)), m.group(3) == 'not null'))
    return cols


def main():
    mode, schema_dir, table, got_path = sys.argv[1:5]
    want = ddl_columns(f'{schema_dir}/{table}.sql')
    got = describe_columns(got_path) if mode == 'describe' else parquet_columns(got_path)
    problems = []
    if [c[0] for c in got] != [c[0] for c in want]:
        problems.append(f'columns {[c[0] for c in got]} != DDL {[c[0] for c in want]}')
    else:
        for (name, gt, gn), (_, wt, wn) in zip(got, want):
            if gt != wt:
                problems.append(f'{name}: type {gt} != DDL {wt}')
            if gn is not None and gn != wn:
                problems.append(f'{name}: {"not null" if gn else "nullable"} != DDL {"not null" if wn else "nullable"}')
    for p in problems:
        print(f'{table}: {p}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
