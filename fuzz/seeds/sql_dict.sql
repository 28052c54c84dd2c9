SELECT s, count(*), min(i) FROM t1 WHERE s LIKE '%a%' OR s IS NULL GROUP BY s ORDER BY s

SELECT upper(v), sum(k) FROM t2 WHERE v IN ('a', 'b', 'c') OR length(v) > 3 GROUP BY upper(v)

SELECT region, count(*) FROM p WHERE substr(region, 1, 2) <> 'eu' AND amount > 0 GROUP BY region

SELECT CASE WHEN s = 'x' THEN 1 WHEN s LIKE 'y%' THEN 2 ELSE 3 END AS c, count(*) FROM t1 GROUP BY 1

SELECT coalesce(s, 'none') || '-' || CAST(i AS varchar) FROM t1 WHERE try_cast(s AS integer) IS NULL

SELECT t1.s, t2.v FROM t1 JOIN t2 ON t1.s = t2.v WHERE t1.s <> '' ORDER BY 1, 2

SELECT DISTINCT lower(s) FROM t1 WHERE s BETWEEN 'a' AND 'zz'

SELECT v, count(DISTINCT k) FILTER (WHERE v > 'b') FROM t2 GROUP BY ROLLUP (v)

SELECT region, rank() OVER (PARTITION BY region ORDER BY amount DESC) FROM p WHERE region NOT LIKE 'x%'

SELECT count_if(s LIKE 'a%'), max_by(s, i), min_by(i, s) FROM t1

SELECT v, max_by(w, k), count_if(w > 0) FROM t2 GROUP BY v

SELECT upper(s), lower(v), s ILIKE 'É%' FROM t1, t2 WHERE upper(v) = 'ŁÓDŹ' OR s ILIKE '%ß%'
