-- a CASE over string columns, aggregated
SELECT sum(CASE WHEN cd_education_status IN ('Primary', 'Secondary') THEN cd_dep_count
                WHEN substr(cd_credit_rating, 1, 4) = 'High' THEN 2 * cd_dep_count
                ELSE 0 END)
FROM customer_demographics;
