-- GROUP BY a dictionary-encoded string column (1.92M rows, 7 groups)
SELECT cd_education_status, count(*), sum(cd_dep_count)
FROM customer_demographics GROUP BY cd_education_status;
