#!/usr/bin/env python3
"""compare.py: compares a query result printed by `floe --format csv
--delimiter '|'` with a TPC-DS reference answer (pipe-delimited with a
header, NULL written as NULL).

Rows compare in order; if that fails and the multisets agree the query's
ORDER BY has ties, which is accepted. Numbers compare with a relative
tolerance (default 1e-6, absolute 1e-6 near zero), or as equal when they
agree after rounding to the fewer decimal places of the two: floe follows
Trino's decimal semantics (avg of decimal(7,2) is a decimal(7,2), decimal
division keeps the operands' scale), where the reference answers were
computed in double precision, e.g. 53.15 for 53.145. NULL equals an empty
field. Exit status 0 when equal, 1 with a description of the first
difference otherwise.

usage: compare.py GOT.csv EXPECTED.csv [--rel 1e-6]
"""
import csv
import sys


def read_got(path):
    with open(path, newline='') as f:
        rows = list(csv.reader(f, delimiter='|'))
    return rows


def read_expected(path):
    with open(path) as f:
        lines = f.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [line.split('|') for line in lines]


def norm_null(v):
    return None if v in ('', 'NULL') else v


def value_eq(a, b, rel):
    a, b = norm_null(a), norm_null(b)
    if a is None or b is None:
        return a is None and b is None
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a.rstrip() == b.rstrip()
    scale = max(abs(x), abs(y), 1e-300)
    if abs(x - y) <= max(rel * scale, 1e-6):
        return True
    places = min(decimals(a), decimals(b))
    return places is not None and abs(x - y) <= 0.5 * 10 ** -places + 1e-9 * scale


def decimals(v):
    """Digits after the point of a plain decimal number, None otherwise."""
    v = v.strip()
    if 'e' in v or 'E' in v:
        return None
    return len(v.split('.')[1]) if '.' in v else 0


def row_eq(r, s, rel):
    return len(r) == len(s) and all(value_eq(a, b, rel) for a, b in zip(r, s))


def sort_key(row):
    out = []
    for v in row:
        v = norm_null(v)
        if v is None:
            out.append((0, 0.0, ''))
            continue
        try:
            out.append((1, round(float(v), 4), ''))
        except ValueError:
            out.append((2, 0.0, v.rstrip()))
    return out


def main():
    args = sys.argv[1:]
    rel = 1e-6
    if '--rel' in args:
        i = args.index('--rel')
        rel = float(args[i + 1])
        del args[i:i + 2]
    got, want = read_got(args[0]), read_expected(args[1])
    # csv writes a one-column row holding NULL as an empty line
    width = len(want[0]) if want else 0
    got = [r if r or width != 1 else [''] for r in got]
    if not got or not want:
        print(f'empty output (got {len(got)} lines, expected {len(want)})')
        return 1
    gh, wh = got[0], want[0]
    if len(gh) != len(wh):
        print(f'column count {len(gh)} != expected {len(wh)}: {gh} vs {wh}')
        return 1
    got, want = got[1:], want[1:]
    if len(got) != len(want):
        print(f'row count {len(got)} != expected {len(want)}')
        return 1
    if all(row_eq(r, s, rel) for r, s in zip(got, want)):
        return 0
    gs, ws = sorted(got, key=sort_key), sorted(want, key=sort_key)
    if all(row_eq(r, s, rel) for r, s in zip(gs, ws)):
        return 0
    for i, (r, s) in enumerate(zip(got, want)):
        if not row_eq(r, s, rel):
            print(f'row {i + 1}: got {"|".join(r)}\n       expected {"|".join(s)}')
            return 1
    return 1


if __name__ == '__main__':
    sys.exit(main())
