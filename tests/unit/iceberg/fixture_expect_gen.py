#!/usr/bin/env python3
"""fixture_expect_gen.py: writes fixture_expect.inc (the expectations of
test_fixture_tables.c) from fixtures/iceberg/EXPECTED.md.

Only queries the test can express are taken: SELECT * / a list of plain
columns / count(*) from the fixture's own table, optionally "for
system_version as of <id>", a WHERE clause in the filter grammar of
ice_expr_parse (plain comparisons, between, in, is [not] null, and/or/not),
ORDER BY ignored (rows are compared as sorted sets), time zone UTC only.
Impala's comma-separated, quoted rows become tab-separated. Everything
else (joins, functions, metadata tables, other time zones) is skipped.

usage: fixture_expect_gen.py <EXPECTED.md> > fixture_expect.inc
"""
import json
import os
import re
import sys

def impala_row(line):
    out, cur, q, i = [], '', False, 0
    while i < len(line):
        c = line[i]
        if q:
            if c == "'":
                q = False
            elif c == '\\' and i + 1 < len(line):   # Impala's .test files escape backslashes
                i += 1
                cur += line[i]
            else:
                cur += c
        elif c == "'":
            q = True
        elif c == ',':
            out.append(cur); cur = ''
        else:
            cur += c
        i += 1
    out.append(cur)
    return '\t'.join(out)

def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t').replace('\n', '\\n') + '"'

QUERY = re.compile(r"^select\s+(?P<cols>.+?)\s+from\s+(?P<table>iceberg_scan\(\s*'[^']*'(?P<args>(?:\s*,\s*\w+\s*=\s*(?:'[^']*'|[\w.]+))*)\s*\)|[A-Za-z_][\w.]*)"
                   r"(?:\s+for\s+system_version\s+as\s+of\s+(?P<snap>\d+))?"
                   r"(?:\s+where\s+(?P<where>.+?))?(?:\s+order\s+by\s+.+?)?\s*;?\s*$", re.I | re.S)

# Expectations from README/EXPECTED summaries that are not queries the
# parser above takes (counts from manifests, engine-specific SELECTs).
EXTRA = [
    '    /* summaries: manifest record counts and source-test histories */',
    '    {"bigquery_biglake_v1_gs_paths", 0LL, NULL, 6, NULL, NULL, NULL},',
    '    {"impala_v1_trino_puffin_stats", 0LL, NULL, 2, NULL, NULL, NULL},',
    '    {"pyiceberg_v2_object_storage_layout", 0LL, NULL, 2, NULL, NULL, NULL},',
    '    {"spark_v1_lineitem_gzip_metadata", 0LL, NULL, 111968, NULL, NULL, NULL},',
    '    {"spark_v2_lineitem_2snap_decimal", 0LL, NULL, 51793, NULL, NULL, NULL},',
    '    {"spark_v2_lineitem_2snap_decimal", 7817332053627255703LL, NULL, 60175, NULL, NULL, NULL},',
    '    {"spark_v2_mor_posdel_schema_evolution_7snap", 0LL, NULL, 6592, NULL, NULL, NULL},',
    '    {"hive_v1_migrated_nested_no_field_ids", 0LL, NULL, 1, NULL, NULL, NULL},',
    '    /* impala_v2_eqdel_nulls: "select *, ICEBERG__DATA__SEQUENCE__NUMBER" without the last column */',
    '    {"impala_v2_eqdel_nulls", 0LL, NULL, 3, NULL, "1\\tstr1\\n4\\tstr4\\nNULL\\tstr5", NULL},',
    '    {"impala_v2_eqdel_nulls", 4346796256488077976LL, NULL, 3, NULL, "1\\tstr1\\nNULL\\tstr2\\n3\\tstr3", NULL},',
]

# Queries whose results depend on the source engine's own behaviour.
SKIP = [
    ('pyiceberg_v2_case_sensitive_names', 'user_id_1'),   # DuckDB renames the clashing "uSeR_Id"
]

def translate(query, impala, open_metadata):
    q = re.sub(r'/\*.*?\*/', '', query, flags=re.S).strip()
    if re.match(r'^from\s', q, re.I):      # DuckDB's FROM-first form
        q = 'select * ' + q
    if re.search(r'\b(union|join|distinct|limit)\b', q, re.I):
        return None
    # leading SET statements
    while re.match(r'^set\s', q, re.I):
        stmt, _, rest = q.partition(';')
        m = re.match(r"^set\s+timezone\s*=\s*'?([^';]+)'?", stmt.strip(), re.I)
        if m and m.group(1).upper() != 'UTC':
            return None
        q = rest.strip()
    m = QUERY.match(q)
    if not m:
        return None
    # iceberg_scan arguments: version= (the metadata the fixture opens, or
    # metadata/v<version>.metadata.json of the table), snapshot_from_id=
    metadata = None
    snap_arg = None
    for arg in re.finditer(r"(\w+)\s*=\s*('[^']*'|[\w.]+)", m.group('args') or ''):
        key, val = arg.group(1).lower(), arg.group(2).strip("'")
        if key == 'allow_moved_paths':
            continue
        opened = os.path.basename(open_metadata.split(' ')[0])
        if key == 'version' and (opened == 'v%s.metadata.json' % val or opened.startswith(val + '.') or
                                 opened.startswith(val + '-') or opened == val):
            continue
        if key == 'version' and re.fullmatch(r'[\d.]+', val):
            metadata = 'metadata/v%s.metadata.json' % val
            continue
        if key == 'snapshot_from_id' and re.fullmatch(r'\d+', val):
            snap_arg = val
            continue
        return None
    cols = m.group('cols').strip()
    where = m.group('where')
    if where and re.search(r"::|%|\(|\)|\[|\blike\b|\bcase\b|\|\||[+*/]", where, re.I):
        return None
    if where:
        # column-to-column comparisons are not filters the grammar takes
        for m2 in re.finditer(r"(=|<|>)\s*([A-Za-z_]\w*)", where):
            if m2.group(2).lower() not in ('true', 'false'):
                return None
        # Impala's "text" is a string literal (DuckDB's a quoted name, as in the grammar)
        if impala:
            where = re.sub(r'"([^"]*)"', lambda mm: "'" + mm.group(1).replace("'", "''") + "'",
                           where)
    count = False
    if re.fullmatch(r'count\(\s*\*\s*\)', cols, re.I):
        count = True
        cols = None
    elif cols == '*':
        cols = None
    elif re.fullmatch(r'\*\s+exclude\s*\(([\w\s,]+)\)', cols, re.I):
        # all columns but these: "-a,b" for the test
        names = re.fullmatch(r'\*\s+exclude\s*\(([\w\s,]+)\)', cols, re.I).group(1)
        cols = '-' + ','.join(n.strip() for n in names.split(','))
    else:
        names = [c.strip() for c in cols.split(',')]
        if not all(re.fullmatch(r'[A-Za-z_]\w*', n) for n in names):
            return None
        cols = ','.join(names)
    return {'count': count, 'cols': cols, 'snap': m.group('snap') or snap_arg, 'where': where,
            'metadata': metadata}

def main():
    text = open(sys.argv[1], encoding='utf-8').read()
    index = json.load(open(os.path.join(os.path.dirname(sys.argv[1]), 'index.json'), encoding='utf-8'))
    opens = {e['fixture']: e['open_metadata'] for e in index}
    out = []
    for sec in re.split(r'^## ', text, flags=re.M)[1:]:
        name = sec.split('\n', 1)[0].strip()
        if name.endswith('_INVALID'):   # rows quoted for a lenient read; the test wants the error
            continue
        items = []
        for item in re.split(r'^- (?=\()', sec, flags=re.M)[1:]:
            m = re.match(r"\((?P<src>[^)]*)\) `(?P<q>.*?)`\n(?P<rest>.*)", item, re.S)
            if not m:
                continue
            rest = m.group('rest')
            if rest.strip().startswith('-> (no rows)'):
                items.append((m.group('src'), m.group('q'), ''))
                continue
            b = re.match(r"\s*```\n(?P<body>.*?)\n\s*```", rest, re.S)
            if b:
                items.append((m.group('src'), m.group('q'), b.group('body')))
        for src, query, body in items:
            lines = [l.strip() for l in body.split('\n')]
            if any(l.startswith('<REGEX>') for l in lines):
                continue
            if any(name == f and needle in query for f, needle in SKIP):
                continue
            t = translate(query, 'impala' in src, opens.get(name, ''))
            if t is None:
                continue
            if 'impala' in src:
                lines = [impala_row(l) for l in lines if l != '']
            lines = [l for l in lines if l != '']
            snap = t['snap'] or '0'
            if t['metadata'] and not os.path.exists(os.path.join(os.path.dirname(sys.argv[1]), name, t['metadata'])):
                continue
            meta = c_str(t['metadata']) if t['metadata'] else 'NULL'
            if t['count']:
                if len(lines) == 0:
                    continue
                if len(lines) != 1 or not re.fullmatch(r'-?\d+', lines[0]):
                    continue
                out.append('    {%s, %sLL, %s, %s, NULL, NULL, %s},' % (c_str(name), snap,
                           c_str(t['where']) if t['where'] else 'NULL', lines[0], meta))
            else:
                out.append('    {%s, %sLL, %s, %d, %s, %s, %s},' % (c_str(name), snap,
                           c_str(t['where']) if t['where'] else 'NULL', len(lines),
                           c_str(t['cols']) if t['cols'] else 'NULL',
                           c_str('\n'.join(lines)) if lines else 'NULL', meta))
    print('/* fixture_expect.inc: expectations quoted from fixtures/iceberg/EXPECTED.md, generated by')
    print(' * fixture_expect_gen.py (included by test_fixture_tables.c). Fields: fixture, snapshot id')
    print(' * (0 = current), filter, row count (-1 = unchecked), columns (NULL = all), rows (DuckDB-style')
    print(' * text, tab-separated, any order; NULL = unchecked), metadata file (NULL = the one index.json')
    print(' * names). */')
    print('static const expect EXPECTATIONS[] = {')
    for l in out:
        print(l)
    for l in EXTRA:
        print(l)
    print('    {NULL, 0, NULL, -1, NULL, NULL, NULL},')
    print('};')

main()
