/*
 * test_sql_parse.c: the SQL parser's trees for targeted statements. Each
 * test compares the AST printout with an expected string, so precedence,
 * join trees, set operations, window frames, DDL in both the Trino and the
 * Spark spelling, MERGE and time travel are pinned down exactly.
 */
#include "../test.h"
#include "sql_test_util.h"

TEST(sql_parse_arithmetic_precedence)
{
    CHECK_STR(sqlt_print("SELECT 1 + 2 * 3 - 4 / 2 % 3"),
              "(select (items (- (+ 1 (* 2 3)) (% (/ 4 2) 3))))");
    CHECK_STR(sqlt_print("SELECT -a * b, - - 1, +x"),
              "(select (items (* (- a) b) (- (- 1)) (+ x)))");
    CHECK_STR(sqlt_print("SELECT (1 + 2) * 3"), "(select (items (* (+ 1 2) 3)))");
    CHECK_STR(sqlt_print("SELECT a || b + 1 || c"), "(select (items (|| (|| a (+ b 1)) c)))");
    CHECK_STR(sqlt_print("SELECT x::int + 1, a[1][2]"),
              "(select (items (+ (cast x int) 1) (subscript (subscript a 1) 2)))");
}

TEST(sql_parse_boolean_precedence)
{
    CHECK_STR(sqlt_print("SELECT a OR b AND c"), "(select (items (or a (and b c))))");
    CHECK_STR(sqlt_print("SELECT a AND b OR c AND d"), "(select (items (or (and a b) (and c d))))");
    CHECK_STR(sqlt_print("SELECT NOT a = b AND c"), "(select (items (and (not (= a b)) c)))");
    CHECK_STR(sqlt_print("SELECT NOT NOT a"), "(select (items (not (not a))))");
    CHECK_STR(sqlt_print("SELECT a + 1 < b * 2"), "(select (items (< (+ a 1) (* b 2))))");
    CHECK_STR(sqlt_print("SELECT a <> b, a != b, a == b, a >= b, a <= b"),
              "(select (items (<> a b) (<> a b) (= a b) (>= a b) (<= a b)))");
}

TEST(sql_parse_predicates)
{
    CHECK_STR(sqlt_print("SELECT x BETWEEN 1 AND 2 AND y, x NOT BETWEEN a + 1 AND b"),
              "(select (items (and (between x 1 2) y) (not-between x (+ a 1) b)))");
    CHECK_STR(sqlt_print("SELECT a LIKE 'x%', a NOT ILIKE 'y' ESCAPE '!', a ILIKE b"),
              "(select (items (like a 'x%') (not-ilike a 'y' (escape '!')) (ilike a b)))");
    CHECK_STR(sqlt_print("SELECT a IN (1, 2), a NOT IN (SELECT b FROM t), EXISTS (SELECT 1)"),
              "(select (items (in a (list 1 2)) (not-in a (select (items b) (from (table t)))) "
              "(exists (select (items 1)))))");
    CHECK_STR(sqlt_print("SELECT a IS NULL, a IS NOT NULL, a IS TRUE, a IS NOT FALSE"),
              "(select (items (is-null a) (is-not-null a) (is-true a) (is-not-false a)))");
    CHECK_STR(sqlt_print("SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b + 1"),
              "(select (items (is-distinct a b) (is-not-distinct a (+ b 1))))");
    CHECK_STR(sqlt_print("SELECT a = ANY (SELECT b FROM t), a > ALL (SELECT 1), a <> SOME (VALUES 1), any(x)"),
              "(select (items (= any a (select (items b) (from (table t)))) (> all a (select (items 1))) "
              "(<> any a (values (row 1))) (call any x)))");
    CHECK_STR(sqlt_print("SELECT ((SELECT 1) UNION (SELECT 2)), ((SELECT 1) + 1), (((SELECT 1))), "
                         "a IN ((SELECT 1) UNION (SELECT 2)), a IN ((SELECT 1), 2)"),
              "(select (items (subquery (union (select (items 1)) (select (items 2)))) "
              "(+ (subquery (select (items 1))) 1) (subquery (select (items 1))) "
              "(in a (union (select (items 1)) (select (items 2)))) (in a (list (subquery (select (items 1))) 2))))");
    CHECK_STR(sqlt_print("SELECT (SELECT max(x) FROM t) + 1"),
              "(select (items (+ (subquery (select (items (call max x)) (from (table t)))) 1)))");
}

TEST(sql_parse_literals_and_names)
{
    CHECK_STR(sqlt_print("SELECT 1, 1.5, .5, 2., 1e10, 2.5E-3, 'it''s', NULL, TRUE, false"),
              "(select (items 1 1.5 .5 2. 1e10 2.5E-3 'it''s' null true false))");
    CHECK_STR(sqlt_print("SELECT \"MixedCase\", `back``tick`, UPPER_name, c.s.t.col FROM c.s.t"),
              "(select (items \"MixedCase\" \"back`tick\" upper_name c.s.t.col) (from (table c.s.t)))");
    CHECK_STR(sqlt_print("SELECT t.*, *, s.\"order\", t.year FROM t"),
              "(select (items t.* * s.\"order\" t.year) (from (table t)))");
    CHECK_STR(sqlt_print("SELECT a AS x, b y, c AS \"Z\", d AS 'w' FROM t"),
              "(select (items (as a x) (as b y) (as c \"Z\") (as d \"w\")) (from (table t)))");
    CHECK_STR(sqlt_print("SELECT ?, ? + 1"), "(select (items ?1 (+ ?2 1)))");
    CHECK_STR(sqlt_print("SELECT ARRAY[1, 2], ROW(1, 'a'), (1, 2), {'a': 1, b: 'x'}"),
              "(select (items (array 1 2) (row 1 'a') (row 1 2) (struct (a 1) (b 'x'))))");
}

TEST(sql_parse_casts_and_dates)
{
    CHECK_STR(sqlt_print("SELECT CAST(a AS decimal(7,2)), TRY_CAST(b AS varchar(20)), "
                         "CAST(c AS timestamp(6) with time zone), CAST(d AS timestamp)"),
              "(select (items (cast a decimal(7,2)) (try_cast b varchar(20)) "
              "(cast c timestamp(6) with time zone) (cast d timestamp)))");
    CHECK_STR(sqlt_print("SELECT CAST(a AS array(int)), CAST(b AS map(varchar, array(bigint))), "
                         "CAST(c AS row(x int, y varchar)), CAST(d AS int[]), "
                         "CAST(e AS struct<a: int, b: string>), CAST(f AS double precision)"),
              "(select (items (cast a array(int)) (cast b map(varchar, array(bigint))) "
              "(cast c row(x int, y varchar)) (cast d array(int)) (cast e struct(a int, b string)) "
              "(cast f double precision)))");
    CHECK_STR(sqlt_print("SELECT date '2000-01-01' + interval '30' day, interval 30 days, "
                         "cast('2000-01-01' as date) + 30, timestamp '2024-01-01 10:00:00', "
                         "interval '1-2' year to month, interval '1 day'"),
              "(select (items (+ (date '2000-01-01') (interval '30' day)) (interval 30 day) "
              "(+ (cast '2000-01-01' date) 30) (timestamp '2024-01-01 10:00:00') "
              "(interval '1-2' year to month) (interval '1 day')))");
    CHECK_STR(sqlt_print("SELECT ts AT TIME ZONE 'UTC' + interval '1' hour, at FROM t"),
              "(select (items (+ (at-time-zone ts 'UTC') (interval '1' hour)) at) (from (table t)))");
    CHECK_STR(sqlt_print("SELECT EXTRACT(YEAR FROM d), extract(dow from d)"),
              "(select (items (extract year d) (extract dow d)))");
    /* date and interval are still ordinary names elsewhere */
    CHECK_STR(sqlt_print("SELECT date, interval FROM t"),
              "(select (items date interval) (from (table t)))");
}

TEST(sql_parse_functions_and_case)
{
    CHECK_STR(sqlt_print("SELECT count(*), count(DISTINCT x), sum(x) FILTER (WHERE x > 0), "
                         "array_agg(x ORDER BY y DESC), left(s, 2), coalesce(a, b), f()"),
              "(select (items (call count *) (call count distinct x) (call sum x (filter (> x 0))) "
              "(call array_agg x (order-by (sort y desc))) (call left s 2) (call coalesce a b) (call f)))");
    CHECK_STR(sqlt_print("SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, "
                         "CASE x WHEN 1 THEN 'a' END"),
              "(select (items (case (when a 1) (when b 2) (else 3)) (case x (when 1 'a'))))");
    CHECK_STR(sqlt_print("SELECT f(a => 1, b => 'x')"),
              "(select (items (call f (=> a 1) (=> b 'x'))))");
    /* in expressions "=" is a comparison, not a named argument */
    CHECK_STR(sqlt_print("SELECT if(a = 1, 2, 3)"), "(select (items (call if (= a 1) 2 3)))");
}

TEST(sql_parse_joins)
{
    CHECK_STR(sqlt_print("SELECT * FROM a JOIN b USING (id) LEFT OUTER JOIN c ON a.x = c.x "
                         "RIGHT JOIN d ON true FULL OUTER JOIN e ON false CROSS JOIN f NATURAL JOIN g"),
              "(select (items *) (from (join natural-inner (join cross (join full (join right "
              "(join left (join inner (table a) (table b) (using id)) (table c) (on (= a.x c.x))) "
              "(table d) (on true)) (table e) (on false)) (table f)) (table g))))");
    CHECK_STR(sqlt_print("SELECT * FROM a, b x, c AS y(p, q) INNER JOIN d ON 1 = 1"),
              "(select (items *) (from (join comma (join comma (table a) (table b (as x))) "
              "(join inner (table c (as y (columns p q))) (table d) (on (= 1 1))))))");
    CHECK_STR(sqlt_print("SELECT * FROM (a JOIN b ON a.k = b.k) j, (SELECT 1) s(x), "
                         "LATERAL (SELECT a.v) l"),
              "(select (items *) (from (join comma (join comma (join inner (table a) (table b) "
              "(on (= a.k b.k)) (as j)) (derived (select (items 1)) (as s (columns x)))) "
              "(lateral-subquery (select (items a.v)) (as l)))))");
    /* a parenthesized join starting with a subquery vs a parenthesized query */
    CHECK_STR(sqlt_print("SELECT * FROM ((SELECT 1) t JOIN u ON true), ((SELECT 1) UNION (SELECT 2)) x, "
                         "(((SELECT 3))) y"),
              "(select (items *) (from (join comma (join comma (join inner (derived (select (items 1)) "
              "(as t)) (table u) (on true)) (derived (union (select (items 1)) (select (items 2))) (as x))) "
              "(derived (select (items 3)) (as y)))))");
    CHECK_STR(sqlt_print("SELECT * FROM t CROSS JOIN UNNEST(t.arr) AS u(x)"),
              "(select (items *) (from (join cross (table t) (table-function (call unnest t.arr) "
              "(as u (columns x))))))");
}

TEST(sql_parse_lateral_view)
{
    CHECK_STR(sqlt_print("SELECT id, x FROM t LATERAL VIEW explode(arr) v AS x WHERE x > 0"),
              "(select (items id x) (from (join cross (table t) (lateral-function (call explode arr) "
              "(as v (columns x))))) (where (> x 0)))");
    CHECK_STR(sqlt_print("SELECT * FROM t LATERAL VIEW OUTER posexplode(arr) v AS pos, val "
                         "LATERAL VIEW explode(m) w k, u JOIN z ON true"),
              "(select (items *) (from (join inner (join cross (join left (table t) (lateral-function "
              "(call posexplode arr) (as v (columns pos val))) (on true)) (lateral-function (call explode m) "
              "(as w (columns k u)))) (table z) (on true))))");
    CHECK_STR(sqlt_print("SELECT * FROM t LATERAL VIEW explode(a)"),
              "error: syntax error at end of input (line 1, column 40)");
}

TEST(sql_parse_table_functions)
{
    CHECK_STR(sqlt_print("SELECT * FROM read_parquet('x/*.parquet') p"),
              "(select (items *) (from (table-function (call read_parquet 'x/*.parquet') (as p))))");
    CHECK_STR(sqlt_print("SELECT * FROM read_csv('f', delim='|', header=false, "
                         "columns={'a': 'int', 'b': 'varchar'})"),
              "(select (items *) (from (table-function (call read_csv 'f' (=> delim '|') "
              "(=> header false) (=> columns (struct (a 'int') (b 'varchar')))))))");
    CHECK_STR(sqlt_print("SELECT * FROM read_csv('f', delim => ',')"),
              "(select (items *) (from (table-function (call read_csv 'f' (=> delim ',')))))");
}

TEST(sql_parse_set_operations)
{
    CHECK_STR(sqlt_print("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4"),
              "(except all (union (select (items 1)) (intersect (select (items 2)) "
              "(select (items 3)))) (select (items 4)))");
    CHECK_STR(sqlt_print("SELECT 1 INTERSECT SELECT 2 UNION ALL SELECT 3"),
              "(union all (intersect (select (items 1)) (select (items 2))) (select (items 3)))");
    CHECK_STR(sqlt_print("(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3"),
              "(intersect (union (select (items 1)) (select (items 2))) (select (items 3)))");
    CHECK_STR(sqlt_print("SELECT 1 UNION DISTINCT (SELECT 2 ORDER BY 1 LIMIT 1) ORDER BY 1 LIMIT 10 OFFSET 5"),
              "(union (select (items 1)) (select (items 2) (order-by 1) (limit 1)) "
              "(order-by 1) (limit 10) (offset 5))");
    CHECK_STR(sqlt_print("(SELECT a FROM t LIMIT 5) ORDER BY a"),
              "(query (select (items a) (from (table t)) (limit 5)) (order-by a))");
    CHECK_STR(sqlt_print("VALUES (1, 'a'), (2, 'b')"),
              "(values (row 1 'a') (row 2 'b'))");
}

TEST(sql_parse_clauses)
{
    CHECK_STR(sqlt_print("SELECT DISTINCT a FROM t WHERE b GROUP BY a, 2 HAVING count(*) > 1 "
                         "ORDER BY a DESC NULLS FIRST, b ASC NULLS LAST, c LIMIT 10"),
              "(select distinct (items a) (from (table t)) (where b) (group-by a 2) "
              "(having (> (call count *) 1)) (order-by (sort a desc nulls-first) "
              "(sort b asc nulls-last) c) (limit 10))");
    CHECK_STR(sqlt_print("SELECT a FROM t GROUP BY ROLLUP (a, (b, c)), CUBE (d), "
                         "GROUPING SETS ((a, b), (a), ()), grouping(a)"),
              "(select (items a) (from (table t)) (group-by (rollup a (b c)) (cube d) "
              "(grouping-sets (a b) a ()) (call grouping a)))");
    CHECK_STR(sqlt_print("SELECT a FROM t OFFSET 2 ROWS FETCH FIRST 5 ROWS ONLY"),
              "(select (items a) (from (table t)) (limit 5) (offset 2))");
    CHECK_STR(sqlt_print("SELECT a FROM t ORDER BY a FETCH FIRST 3 ROWS WITH TIES"),
              "(select (items a) (from (table t)) (order-by a) (limit-with-ties 3))");
    CHECK_STR(sqlt_print("SELECT a FROM t FETCH NEXT ROW ONLY"),
              "(select (items a) (from (table t)) (limit 1))");
    CHECK_STR(sqlt_print("WITH a AS (SELECT 1), b (x, y) AS (SELECT 1, 2) SELECT * FROM a, b"),
              "(select (with (cte a (select (items 1))) (cte b (columns x y) (select (items 1 2)))) "
              "(items *) (from (join comma (table a) (table b))))");
    CHECK_STR(sqlt_print("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "
                         "SELECT n FROM r"),
              "(select (with recursive (cte r (columns n) (union all (select (items 1)) "
              "(select (items (+ n 1)) (from (table r)) (where (< n 3)))))) (items n) (from (table r)))");
}

TEST(sql_parse_window_functions)
{
    CHECK_STR(sqlt_print("SELECT sum(x) OVER (PARTITION BY a, b ORDER BY c DESC "
                         "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t"),
              "(select (items (call sum x (over (window (partition-by a b) (order-by (sort c desc)) "
              "(rows (between unbounded-preceding current-row)))))) (from (table t)))");
    CHECK_STR(sqlt_print("SELECT avg(x) OVER (ORDER BY d RANGE BETWEEN 3 PRECEDING AND 2 FOLLOWING), "
                         "rank() OVER (), lag(x) OVER (ROWS 5 PRECEDING), "
                         "max(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t"),
              "(select (items (call avg x (over (window (order-by d) (range (between (preceding 3) "
              "(following 2)))))) (call rank (over (window))) (call lag x (over (window (rows "
              "(preceding 5))))) (call max x (over (window (rows (between current-row "
              "unbounded-following)))))) (from (table t)))");
    CHECK_STR(sqlt_print("SELECT rank() OVER w, sum(x) OVER (w ORDER BY y) FROM t "
                         "WINDOW w AS (PARTITION BY z), v AS (w)"),
              "(select (items (call rank (over (window (base w)))) (call sum x (over (window (base w) "
              "(order-by y))))) (from (table t)) (window w (partition-by z)) (window v (base w)))");
}

TEST(sql_parse_time_travel)
{
    CHECK_STR(sqlt_print("SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00' a, "
                         "t FOR VERSION AS OF 123, t TIMESTAMP AS OF '2024-01-01', t VERSION AS OF 5 b, "
                         "t FOR TIMESTAMP AS OF now() AS c, t FOR SYSTEM_VERSION AS OF 7"),
              "(select (items *) (from (join comma (join comma (join comma (join comma (join comma "
              "(table t (as-of-timestamp (timestamp '2024-01-01 00:00:00')) (as a)) "
              "(table t (as-of-version 123))) (table t (as-of-timestamp '2024-01-01'))) "
              "(table t (as-of-version 5) (as b))) (table t (as-of-timestamp (call now)) (as c))) "
              "(table t (as-of-version 7)))))");
}

TEST(sql_parse_ctas_partitioning_spellings)
{
    /* Spark: USING iceberg PARTITIONED BY (transforms) TBLPROPERTIES */
    CHECK_STR(sqlt_print("CREATE OR REPLACE TABLE cat.db.events USING iceberg "
                         "PARTITIONED BY (bucket(16, id), days(ts), truncate(10, s), category) "
                         "TBLPROPERTIES ('format-version' = '2', 'write.format.default'='parquet') "
                         "AS SELECT * FROM src"),
              "(create-table or-replace cat.db.events (using iceberg) (partitioned-by (call bucket 16 id) "
              "(call days ts) (call truncate 10 s) category) (tblproperties ('format-version' '2') "
              "('write.format.default' 'parquet')) (as (select (items *) (from (table src)))))");
    /* Trino/Athena: WITH (format = .., partitioning = ARRAY[..]) */
    CHECK_STR(sqlt_print("CREATE TABLE IF NOT EXISTS events WITH (format = 'PARQUET', "
                         "partitioning = ARRAY['bucket(id, 16)', 'day(ts)'], location = 's3://b/e') "
                         "AS SELECT id, ts FROM src WITH NO DATA"),
              "error: syntax error at or near \"WITH\" (line 1, column 161)");
    CHECK_STR(sqlt_print("CREATE TABLE IF NOT EXISTS events WITH (format = 'PARQUET', "
                         "partitioning = ARRAY['bucket(id, 16)', 'day(ts)']) AS SELECT id, ts FROM src"),
              "(create-table if-not-exists events (with ('format' 'PARQUET') ('partitioning' "
              "(array 'bucket(id, 16)' 'day(ts)'))) (as (select (items id ts) (from (table src)))))");
    CHECK_STR(sqlt_print("CREATE TABLE t (id bigint NOT NULL COMMENT 'key', ts timestamp(6) with time zone, "
                         "s string) USING iceberg PARTITIONED BY (years(ts), months(ts), hours(ts), day(ts)) "
                         "OPTIONS (path 's3://x', 'k' 'v')"),
              "(create-table t (columns (id bigint not-null (comment 'key')) "
              "(ts timestamp(6) with time zone) (s string)) (using iceberg) (partitioned-by "
              "(call years ts) (call months ts) (call hours ts) (call day ts)) (options ('path' 's3://x') "
              "('k' 'v')))");
    CHECK_STR(sqlt_print("CREATE EXTERNAL TABLE IF NOT EXISTS logs (a int, b varchar(10)) "
                         "PARTITIONED BY (dt string) ROW FORMAT DELIMITED FIELDS TERMINATED BY '|' "
                         "STORED AS TEXTFILE LOCATION 's3://logs/' TBLPROPERTIES ('skip.header.line.count'='1')"),
              "(create-table external if-not-exists logs (columns (a int) (b varchar(10))) "
              "(partitioned-by (dt string)) (row-format (fields '|')) (stored-as textfile) "
              "(location 's3://logs/') (tblproperties ('skip.header.line.count' '1')))");
    CHECK_STR(sqlt_print("CREATE EXTERNAL TABLE a (x int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
                         "ESCAPED BY '\\' LINES TERMINATED BY '\n' LOCATION 's3://a/'"),
              "(create-table external a (columns (x int)) (row-format (fields ',') (escaped '\\') "
              "(lines '\n')) (location 's3://a/'))");
    CHECK_STR(sqlt_print("CREATE EXTERNAL TABLE j (x int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
                         "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true') STORED AS TEXTFILE"),
              "(create-table external j (columns (x int)) (row-format (serde "
              "'org.openx.data.jsonserde.JsonSerDe') (serdeproperties ('ignore.malformed.json' 'true'))) "
              "(stored-as textfile))");
    CHECK_STR(sqlt_print("CREATE TABLE t USING iceberg AS WITH x AS (SELECT 1 a) SELECT a FROM x"),
              "(create-table t (using iceberg) (as (select (with (cte x (select (items (as 1 a))))) "
              "(items a) (from (table x)))))");
    CHECK_STR(sqlt_print("CREATE TABLE t USING iceberg USING csv AS SELECT 1"),
              "error: syntax error at or near \"USING\" (line 1, column 30)");
}

TEST(sql_parse_dml)
{
    CHECK_STR(sqlt_print_script("INSERT INTO t (a, b) VALUES (1, 2), (3, 4); "
                                "INSERT OVERWRITE TABLE t SELECT * FROM u; INSERT INTO db.t SELECT 1;"
                                "INSERT INTO t (SELECT 1); INSERT OVERWRITE t PARTITION (dt = '2024-01-01', h) SELECT 1"),
              "(insert t (columns a b) (values (row 1 2) (row 3 4)))\n"
              "(insert-overwrite t (select (items *) (from (table u))))\n"
              "(insert db.t (select (items 1)))\n"
              "(insert t (select (items 1)))\n"
              "(insert-overwrite t (partition ('dt' '2024-01-01') ('h')) (select (items 1)))");
    CHECK_STR(sqlt_print("UPDATE t AS x SET a = 1, b = b + 1 WHERE c > 0"),
              "(update t (as x) (set (= a 1) (= b (+ b 1))) (where (> c 0)))");
    CHECK_STR(sqlt_print("UPDATE t SET a = DEFAULT_VALUE"), "(update t (set (= a default_value)))");
    CHECK_STR(sqlt_print("DELETE FROM db.t WHERE id IN (SELECT id FROM gone)"),
              "(delete db.t (where (in id (select (items id) (from (table gone))))))");
}

TEST(sql_parse_merge)
{
    CHECK_STR(sqlt_print("MERGE INTO db.target t USING (SELECT * FROM src) s ON t.id = s.id "
                         "WHEN MATCHED AND s.op = 'D' THEN DELETE "
                         "WHEN MATCHED THEN UPDATE SET v = s.v, n = t.n + 1 "
                         "WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT (id, v) VALUES (s.id, s.v)"),
              "(merge db.target (as t) (using (derived (select (items *) (from (table src))) (as s))) "
              "(on (= t.id s.id)) (when-matched (and (= s.op 'D')) (delete)) "
              "(when-matched (update (set (= v s.v) (= n (+ t.n 1))))) "
              "(when-not-matched (and (<> s.op 'D')) (insert (columns id v) (values s.id s.v))))");
    CHECK_STR(sqlt_print("MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET * "
                         "WHEN NOT MATCHED THEN INSERT *"),
              "(merge t (using (table s)) (on (= t.k s.k)) (when-matched (update *)) "
              "(when-not-matched (insert *)))");
    CHECK_STR(sqlt_print("MERGE INTO t USING s ON t.k = s.k"),
              "error: syntax error at end of input (line 1, column 34)");
}

TEST(sql_parse_copy)
{
    CHECK_STR(sqlt_print("COPY store_sales FROM 'data/store_sales/*.dat' (DELIMITER '|', HEADER false, NULL '')"),
              "(copy store_sales 'data/store_sales/*.dat' (options ('delimiter' '|') ('header' false) "
              "('null' '')))");
    CHECK_STR(sqlt_print("COPY t FROM 'f.csv' WITH (DELIMITER '|', HEADER)"),
              "(copy t 'f.csv' (options ('delimiter' '|') ('header')))");
    CHECK_STR(sqlt_print("COPY t (a, b) FROM 's3://b/f.csv' DELIMITER '|' HEADER false NULL '' FORMAT csv"),
              "(copy t (columns a b) 's3://b/f.csv' (options ('delimiter' '|') ('header' false) "
              "('null' '') ('format' csv)))");
    CHECK_STR(sqlt_print("COPY t FROM 'f'"), "(copy t 'f')");
}

TEST(sql_parse_ddl_and_utility)
{
    CHECK_STR(sqlt_print_script(
                  "CREATE SCHEMA IF NOT EXISTS lake.db; CREATE DATABASE d LOCATION 's3://d/';"
                  "DROP TABLE IF EXISTS t CASCADE; DROP SCHEMA s; DROP DATABASE IF EXISTS d RESTRICT;"
                  "SHOW SCHEMAS; SHOW DATABASES LIKE 'x%'; SHOW TABLES IN db; SHOW TABLES FROM db;"
                  "SHOW COLUMNS FROM t; SHOW COLUMNS IN db.t; SHOW CREATE TABLE t; DESCRIBE db.t;"
                  "DESC t; EXPLAIN SELECT 1; EXPLAIN ANALYZE SELECT 1; USE lake.db;"
                  "EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) SELECT 1; EXPLAIN (SELECT 1);"
                  "DESCRIBE TABLE EXTENDED db.t; DESCRIBE extended;"
                  "CREATE OR REPLACE VIEW v AS SELECT 1"),
              "(create-schema if-not-exists lake.db)\n"
              "(create-database d (location 's3://d/'))\n"
              "(drop table if-exists t cascade)\n"
              "(drop schema s)\n"
              "(drop schema if-exists d)\n"
              "(show schemas)\n"
              "(show schemas (like 'x%'))\n"
              "(show tables db)\n"
              "(show tables db)\n"
              "(show columns t)\n"
              "(show columns db.t)\n"
              "(show create-table t)\n"
              "(describe db.t)\n"
              "(describe t)\n"
              "(explain (select (items 1)))\n"
              "(explain analyze (select (items 1)))\n"
              "(use lake.db)\n"
              "(explain (options ('type' distributed) ('format' json)) (select (items 1)))\n"
              "(explain (select (items 1)))\n"
              "(describe-extended db.t)\n"
              "(describe extended)\n"
              "(create-view or-replace v (select (items 1)))");
}

TEST(sql_parse_alter_and_call)
{
    CHECK_STR(sqlt_print_script(
                  "ALTER TABLE t ADD COLUMN c int COMMENT 'x'; ALTER TABLE t DROP COLUMN IF EXISTS c;"
                  "ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t ALTER COLUMN a TYPE bigint;"
                  "ALTER TABLE t ALTER COLUMN a SET DATA TYPE decimal(10,2);"
                  "ALTER TABLE t SET TBLPROPERTIES ('k'='v'); ALTER TABLE t SET PROPERTIES a = 1;"
                  "ALTER TABLE t ADD PARTITION FIELD bucket(16, id) AS shard;"
                  "ALTER TABLE t DROP PARTITION FIELD days(ts);"
                  "ALTER TABLE t EXECUTE rollback_to_snapshot(123); ALTER TABLE t EXECUTE optimize;"
                  "ALTER TABLE t RENAME TO u; ALTER TABLE t ADD COLUMNS (d date)"),
              "(alter-table t (add-column (c int (comment 'x'))))\n"
              "(alter-table t (drop-column if-exists c))\n"
              "(alter-table t (rename-column a b))\n"
              "(alter-table t (alter-column-type a bigint))\n"
              "(alter-table t (alter-column-type a decimal(10,2)))\n"
              "(alter-table t (set-properties ('k' 'v')))\n"
              "(alter-table t (set-properties ('a' 1)))\n"
              "(alter-table t (add-partition-field (call bucket 16 id) (as shard)))\n"
              "(alter-table t (drop-partition-field (call days ts)))\n"
              "(alter-table t (execute (call rollback_to_snapshot 123)))\n"
              "(alter-table t (execute (call optimize)))\n"
              "(alter-table t (rename-to u))\n"
              "(alter-table t (add-column (d date)))");
    CHECK_STR(sqlt_print("CALL system.expire_snapshots(table => 'db.t', older_than => TIMESTAMP '2024-01-01 00:00:00')"),
              "(call-procedure system.expire_snapshots (=> table 'db.t') (=> older_than "
              "(timestamp '2024-01-01 00:00:00')))");
    CHECK_STR(sqlt_print("CALL system.rollback_to_snapshot('db.t', 123)"),
              "(call-procedure system.rollback_to_snapshot 'db.t' 123)");
}

TEST(sql_parse_scripts_and_comments)
{
    CHECK_STR(sqlt_print_script("-- leading comment\nSELECT 1; ;; /* block /* nested */ still */ SELECT 2 -- tail"),
              "(select (items 1))\n(select (items 2))");
    CHECK_STR(sqlt_print_script(" ; -- nothing\n"), "");
    CHECK_STR(sqlt_print("SELECT 1; SELECT 2"),
              "error: syntax error at or near \"SELECT\" (line 1, column 11)");
    CHECK_STR(sqlt_print(""), "error: syntax error at end of input (line 1, column 1)");
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_expr *e;
    CHECK_OK(sql_parse_expression(&e, "a + 1 > b", 9, arena, &err), &err);
    fl_buf b;
    fl_buf_init(&b);
    CHECK_OK(sql_ast_print_expr(&b, e), NULL);
    CHECK_STR(fl_buf_cstr(&b), "(> (+ a 1) b)");
    CHECK(sql_parse_expression(&e, "a b", 3, arena, &err) == FLOE_ESYNTAX);
    fl_buf_dispose(&b);
    fl_arena_free(arena);
}

TEST(sql_parse_statement_positions)
{
    const char *text = "SELECT 1;\n  INSERT INTO t VALUES (1)  ;";
    fl_arena *arena = fl_arena_new(0);
    fl_error err;
    sql_script s;
    CHECK_OK(sql_parse(&s, text, strlen(text), arena, &err), &err);
    CHECK_EQ(s.count, 2);
    if (s.count == 2) {
        CHECK_EQ(s.stmts[0]->loc, 0);
        CHECK_EQ(s.stmts[0]->end, 8);
        CHECK_EQ(s.stmts[1]->loc, 12);
        CHECK_EQ(s.stmts[1]->end, 36);
        CHECK_EQ(s.stmts[1]->kind, SQL_STMT_INSERT);
    }
    fl_arena_free(arena);
}
