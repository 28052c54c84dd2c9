-- a function of a string column and an OR over two string columns
SELECT count(*) FROM customer_demographics
WHERE upper(cd_marital_status) IN ('M', 'S') OR cd_gender = 'F';
