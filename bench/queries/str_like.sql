-- string filters over a big dictionary-encoded column (customer_demographics, 1.92M rows)
SELECT count(*) FROM customer_demographics
WHERE cd_education_status LIKE '%College%' AND cd_credit_rating = 'Good';
