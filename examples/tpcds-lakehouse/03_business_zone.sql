-- 03_business_zone.sql: the business zone: aggregates for reporting, built
-- with CREATE TABLE AS SELECT over the transformed zone.
--
-- AWS version: a second Spark step (or Athena CTAS) writes these summary
-- tables as Iceberg tables for the BI dashboards. Each CTAS creates the
-- table and commits its rows in one step.
CREATE SCHEMA IF NOT EXISTS business;

-- Daily web revenue by item category and customer state.
CREATE TABLE business.daily_web_revenue
PARTITIONED BY (sales_year) AS
SELECT d.d_date                    AS sales_date,
       d.d_year                    AS sales_year,
       i.i_category                AS category,
       ca.ca_state                 AS state,
       count(*)                    AS order_lines,
       sum(ws.ws_quantity)         AS quantity,
       sum(ws.ws_ext_sales_price)  AS revenue,
       sum(ws.ws_net_profit)       AS net_profit
FROM transformed.web_sales ws
JOIN transformed.date_dim d          ON ws.ws_sold_date_sk = d.d_date_sk
JOIN transformed.item i              ON ws.ws_item_sk = i.i_item_sk
JOIN transformed.customer_address ca ON ws.ws_bill_addr_sk = ca.ca_address_sk
GROUP BY d.d_date, d.d_year, i.i_category, ca.ca_state;

-- Customer lifetime value on the web channel: what each customer bought,
-- returned and kept, with first and last order dates.
CREATE TABLE business.customer_lifetime_value AS
WITH sales AS (
    SELECT ws_bill_customer_sk          AS customer_sk,
           count(DISTINCT ws_order_number) AS orders,
           sum(ws_net_paid)             AS net_paid,
           min(ws_sold_date_sk)         AS first_date_sk,
           max(ws_sold_date_sk)         AS last_date_sk
    FROM transformed.web_sales
    WHERE ws_bill_customer_sk IS NOT NULL
    GROUP BY ws_bill_customer_sk
), returns AS (
    SELECT wr_refunded_customer_sk AS customer_sk,
           sum(wr_return_amt)      AS returned
    FROM transformed.web_returns
    WHERE wr_refunded_customer_sk IS NOT NULL
    GROUP BY wr_refunded_customer_sk
)
SELECT c.c_customer_id,
       c.c_first_name,
       c.c_last_name,
       c.c_birth_country,
       s.orders,
       s.net_paid,
       coalesce(r.returned, 0)              AS returned,
       s.net_paid - coalesce(r.returned, 0) AS lifetime_value,
       f.d_date                             AS first_order,
       l.d_date                             AS last_order
FROM sales s
JOIN transformed.customer c  ON c.c_customer_sk = s.customer_sk
LEFT JOIN returns r          ON r.customer_sk = s.customer_sk
JOIN transformed.date_dim f  ON f.d_date_sk = s.first_date_sk
JOIN transformed.date_dim l  ON l.d_date_sk = s.last_date_sk;
