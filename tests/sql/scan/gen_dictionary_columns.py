# Writes tests/sql/scan/dictionary_columns.test: the queries and their answers,
# computed here in Python from the same formulas the SQL uses to build the table.
# usage: python3 tests/sql/scan/gen_dictionary_columns.py
N = 10000
rows = []
for i in range(N):
    s = None if i % 13 == 0 else 'k%d' % (i % 7)
    u = 'user-%d' % i
    c = ['red', 'green', 'blue'][i % 3]
    rows.append((i, s, u, c))
out = []
def q(types, sql, res, sort=False):
    out.append('query %s%s\n%s\n----\n%s\n' % (types, ' rowsort' if sort else '', sql,
               '\n'.join('\t'.join('NULL' if v is None else str(v) for v in r) for r in res)))
hdr = '''# Dictionary vectors end to end: string columns of floe's own Parquet files
# are dictionary-encoded, the Iceberg scan hands them out as dictionaries and
# filters/projections run once per distinct string (src/exec/ex_expr_dict.c).
# The table has many row groups (a new dictionary each), NULLs, a small
# dictionary (s), a unique column the writer stores without a dictionary
# (u: over write.parquet.dict-size-bytes), and a three-value column (c);
# filters, projections and GROUP BY one dictionary column (hash_agg.c).
# Expected rows were computed independently (Python, from the same formulas:
# tests/sql/scan/gen_dictionary_columns.py writes this file).

statement ok
CREATE SCHEMA dv

statement ok
CREATE TABLE dv.d WITH ("write.parquet.row-group-size-bytes" = '24000', "write.parquet.page-size-bytes" = '6000', "write.parquet.dict-size-bytes" = '3000') AS
SELECT id, CASE WHEN id % 13 = 0 THEN NULL ELSE 'k' || CAST(id % 7 AS varchar) END AS s,
       'user-' || CAST(id AS varchar) AS u,
       CASE id % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'green' ELSE 'blue' END AS c
FROM (SELECT a.n * 1000 + b.n * 100 + e.n * 10 + f.n AS id
      FROM (VALUES 0,1,2,3,4,5,6,7,8,9) a(n), (VALUES 0,1,2,3,4,5,6,7,8,9) b(n),
           (VALUES 0,1,2,3,4,5,6,7,8,9) e(n), (VALUES 0,1,2,3,4,5,6,7,8,9) f(n))
'''
out.append(hdr)
q('I', "SELECT count(*) FROM dv.d WHERE s = 'k3'", [(sum(1 for r in rows if r[1] == 'k3'),)])
q('I', "SELECT count(*) FROM dv.d WHERE s IS NULL", [(sum(1 for r in rows if r[1] is None),)])
q('I', "SELECT count(*) FROM dv.d WHERE s IS NOT NULL AND s <> 'k0'", [(sum(1 for r in rows if r[1] is not None and r[1] != 'k0'),)])
g = {}
for r in rows: g[r[1]] = g.get(r[1], 0) + 1
q('TI', "SELECT s, count(*) FROM dv.d GROUP BY s ORDER BY s NULLS FIRST", [(k, g[k]) for k in [None] + sorted(k for k in g if k)])
q('I', "SELECT count(*) FROM dv.d WHERE s IN ('k1', 'k5') AND id > 5000", [(sum(1 for r in rows if r[1] in ('k1','k5') and r[0] > 5000),)])
q('I', "SELECT count(*) FROM dv.d WHERE s LIKE 'k%' AND c <> 'red'", [(sum(1 for r in rows if r[1] and r[3] != 'red'),)])
g = {}
for r in rows:
    if r[3] == 'blue':
        k = r[1].upper() if r[1] else None
        g[k] = g.get(k, 0) + 1
q('TI', "SELECT upper(s), count(*) FROM dv.d WHERE c = 'blue' GROUP BY 1 ORDER BY 1 NULLS LAST", [(k, g[k]) for k in sorted(k for k in g if k)] + [(None, g[None])])
q('I', "SELECT count(*) FROM dv.d WHERE u LIKE '%77'", [(sum(1 for r in rows if r[2].endswith('77')),)])
sel = [r[2] for r in rows if r[1] == 'k0']
q('TT', "SELECT min(u), max(u) FROM dv.d WHERE s = 'k0'", [(min(sel), max(sel))])
q('I', "SELECT sum(id) FROM dv.d WHERE coalesce(s, 'none') = 'none'", [(sum(r[0] for r in rows if r[1] is None),)])
q('I', "SELECT count(*) FROM dv.d WHERE CASE WHEN s = 'k2' THEN true ELSE c = 'green' END", [(sum(1 for r in rows if (r[3] == 'green' if r[1] != 'k2' else True)),)])
q('ITT', "SELECT id, s, c FROM dv.d WHERE s = 'k6' AND c = 'red' ORDER BY id LIMIT 5", [(r[0], r[1], r[3]) for r in rows if r[1] == 'k6' and r[3] == 'red'][:5])
g = {}
for r in rows:
    lab = {'k1': 'one', 'k2': 'two'}.get(r[1])
    if lab: g[lab] = g.get(lab, 0) + 1
q('TI', "SELECT m.label, count(*) FROM dv.d JOIN (VALUES ('k1', 'one'), ('k2', 'two')) AS m(k, label) ON dv.d.s = m.k GROUP BY 1 ORDER BY 1", sorted(g.items()))
g = {}
for r in rows:
    if r[0] < 100:
        g[r[3][:2]] = g.get(r[3][:2], 0) + 1
q('TI', "SELECT substr(c, 1, 2), count(*) FROM dv.d WHERE id < 100 GROUP BY 1 ORDER BY 1", sorted(g.items()))
q('I', "SELECT sum(try_cast(substr(s, 2) AS integer)) FROM dv.d", [(sum(int(r[1][1:]) for r in rows if r[1]),)])
q('TT', "SELECT s || '/' || c, lower(upper(u)) FROM dv.d WHERE id IN (13, 14, 9998)", [((r[1] + '/' + r[3]) if r[1] else None, r[2]) for r in rows if r[0] in (13, 14, 9998)], sort=True)
q('I', "SELECT count(DISTINCT s) FROM dv.d WHERE c = 'green'", [(len(set(r[1] for r in rows if r[3] == 'green' and r[1])),)])
q('TI', "SELECT CASE WHEN s IN ('k0', 'k1') THEN 'low' WHEN s IS NULL THEN 'none' ELSE 'high' END AS b, count(*) FROM dv.d GROUP BY 1 ORDER BY 1", sorted({b: sum(1 for r in rows if (('low' if r[1] in ('k0','k1') else 'none' if r[1] is None else 'high') == b)) for b in ('low','none','high')}.items()))
q('I', "SELECT count(*) FROM (SELECT s FROM dv.d WHERE s > 'k4') t WHERE s < 'k6'", [(sum(1 for r in rows if r[1] and 'k4' < r[1] < 'k6'),)])
q('I', "SELECT count(*) FROM dv.d WHERE u = 'user-4321' OR s = 'k9'", [(1,)])
q('T', "SELECT max(s) FROM dv.d WHERE u > 'user-9990'", [(max(r[1] for r in rows if r[2] > 'user-9990' and r[1]),)])
g = {}
for r in rows:
    k = r[1].upper() if r[1] else None
    g.setdefault(k, [0, 0])
    g[k][0] += r[0]; g[k][1] += 1
q('TII', "SELECT upper(s) AS us, sum(id), count(*) FROM dv.d GROUP BY upper(s) ORDER BY us NULLS FIRST", [(None, *g[None])] + [(k, *g[k]) for k in sorted(k for k in g if k)])
g = {}
for r in rows:
    g.setdefault(r[3], set())
    if r[1]: g[r[3]].add(r[1])
q('TI', "SELECT c, count(DISTINCT s) FROM dv.d GROUP BY c ORDER BY c", sorted((k, len(v)) for k, v in g.items()))
g = {}
for r in rows: g[r[3]] = g.get(r[3], 0) + 1
q('TI', "SELECT c, count(*) FROM dv.d GROUP BY ROLLUP (c) ORDER BY c NULLS LAST", sorted(g.items()) + [(None, len(rows))])
g = {}
for r in rows:
    if r[1] and r[1] >= 'k3': g[r[1]] = g.get(r[1], 0) + r[0]
q('TI', "SELECT s, sum(id) FROM dv.d WHERE s >= 'k3' GROUP BY s HAVING count(*) > 100 ORDER BY 2 DESC", sorted(g.items(), key=lambda kv: -kv[1]))
out.append("""# one row group, a dictionary of 5,000 entries for 10,000 rows: the
# aggregate's per-entry groups give way to rows after the first chunk
statement ok
CREATE TABLE dv.w AS SELECT id, 'v' || CAST(id % 5000 AS varchar) AS k FROM dv.d
""")
q('II', "SELECT count(*), sum(n) FROM (SELECT k, count(*) AS n FROM dv.w GROUP BY k) t", [(5000, 10000)])
kk = sorted(set('v%d' % (i % 5000) for i in range(N) if ('v%d' % (i % 5000)).startswith('v123')))
q('TI', "SELECT k, count(*) FROM dv.w WHERE k LIKE 'v123%' GROUP BY k ORDER BY k", [(k, 2) for k in kk])
out.append('''# a CAST that fails on most entries, guarded by a conjunct on another
# column: only the entries rows reaching it use are cast
query I
SELECT count(*) FROM dv.d WHERE id % 7 = 3 AND CAST(substr(s, 2) AS integer) = 3
----
@N@

statement error
SELECT count(*) FROM dv.d WHERE CAST(c AS integer) = 3
'''.replace('@N@', str(sum(1 for r in rows if r[0] % 7 == 3 and r[1] == 'k3'))))
open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'dictionary_columns.test'), 'w').write('\n'.join(out))
