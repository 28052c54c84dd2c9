-- 02_transformed_zone.sql: the transformed zone: Iceberg tables loaded
-- from the raw zone.
--
-- AWS version: an EMR Serverless Spark job creates these Iceberg tables in
-- the Glue Data Catalog, partitioned as below, and fills them with
-- INSERT INTO ... SELECT from the raw tables. floe runs the same statements:
-- each INSERT writes Parquet files split by the table's partition spec and
-- commits one Iceberg snapshot atomically (a failure commits nothing).
-- The last five tables are unpartitioned dimensions the reports also need.
--
-- The loads of tables with more than 64 partitions (customer, customer_address,
-- date_dim) sort by the partition columns, as Spark's Iceberg writer
-- distributes rows by partition before writing: the Parquet writer keeps at
-- most 64 files open and closes the least recently written one, so unsorted
-- rows of hundreds of partitions would write a file per partition per
-- chunk (1060 files for SF 0.1's 10000 customers) instead of one.
CREATE SCHEMA IF NOT EXISTS transformed;

CREATE TABLE IF NOT EXISTS transformed.customer (
    c_customer_sk          integer,
    c_customer_id          varchar(16),
    c_current_cdemo_sk     integer,
    c_current_hdemo_sk     integer,
    c_current_addr_sk      integer,
    c_first_shipto_date_sk integer,
    c_first_sales_date_sk  integer,
    c_salutation           varchar(10),
    c_first_name           varchar(20),
    c_last_name            varchar(30),
    c_preferred_cust_flag  varchar(1),
    c_birth_day            integer,
    c_birth_month          integer,
    c_birth_year           integer,
    c_birth_country        varchar(20),
    c_login                varchar(13),
    c_email_address        varchar(50),
    c_last_review_date_sk  integer
)
PARTITIONED BY (c_birth_country);

INSERT INTO transformed.customer SELECT * FROM raw.customer ORDER BY c_birth_country;

CREATE TABLE IF NOT EXISTS transformed.web_sales (
    ws_sold_date_sk          integer,
    ws_sold_time_sk          integer,
    ws_ship_date_sk          integer,
    ws_item_sk               integer,
    ws_bill_customer_sk      integer,
    ws_bill_cdemo_sk         integer,
    ws_bill_hdemo_sk         integer,
    ws_bill_addr_sk          integer,
    ws_ship_customer_sk      integer,
    ws_ship_cdemo_sk         integer,
    ws_ship_hdemo_sk         integer,
    ws_ship_addr_sk          integer,
    ws_web_page_sk           integer,
    ws_web_site_sk           integer,
    ws_ship_mode_sk          integer,
    ws_warehouse_sk          integer,
    ws_promo_sk              integer,
    ws_order_number          integer,
    ws_quantity              integer,
    ws_wholesale_cost        decimal(7,2),
    ws_list_price            decimal(7,2),
    ws_sales_price           decimal(7,2),
    ws_ext_discount_amt      decimal(7,2),
    ws_ext_sales_price       decimal(7,2),
    ws_ext_wholesale_cost    decimal(7,2),
    ws_ext_list_price        decimal(7,2),
    ws_ext_tax               decimal(7,2),
    ws_coupon_amt            decimal(7,2),
    ws_ext_ship_cost         decimal(7,2),
    ws_net_paid              decimal(7,2),
    ws_net_paid_inc_tax      decimal(7,2),
    ws_net_paid_inc_ship     decimal(7,2),
    ws_net_paid_inc_ship_tax decimal(7,2),
    ws_net_profit            decimal(7,2)
)
PARTITIONED BY (ws_warehouse_sk);

INSERT INTO transformed.web_sales SELECT * FROM raw.web_sales;

CREATE TABLE IF NOT EXISTS transformed.customer_address (
    ca_address_sk    integer,
    ca_address_id    varchar(16),
    ca_street_number varchar(10),
    ca_street_name   varchar(60),
    ca_street_type   varchar(15),
    ca_suite_number  varchar(10),
    ca_city          varchar(60),
    ca_county        varchar(30),
    ca_state         varchar(2),
    ca_zip           varchar(10),
    ca_country       varchar(20),
    ca_gmt_offset    decimal(5,2),
    ca_location_type varchar(20)
)
PARTITIONED BY (ca_country, ca_city);

INSERT INTO transformed.customer_address SELECT * FROM raw.customer_address ORDER BY ca_country, ca_city;

CREATE TABLE IF NOT EXISTS transformed.date_dim (
    d_date_sk           integer,
    d_date_id           varchar(16),
    d_date              date,
    d_month_seq         integer,
    d_week_seq          integer,
    d_quarter_seq       integer,
    d_year              integer,
    d_dow               integer,
    d_moy               integer,
    d_dom               integer,
    d_qoy               integer,
    d_fy_year           integer,
    d_fy_quarter_seq    integer,
    d_fy_week_seq       integer,
    d_day_name          varchar(9),
    d_quarter_name      varchar(6),
    d_holiday           varchar(1),
    d_weekend           varchar(1),
    d_following_holiday varchar(1),
    d_first_dom         integer,
    d_last_dom          integer,
    d_same_day_ly       integer,
    d_same_day_lq       integer,
    d_current_day       varchar(1),
    d_current_week      varchar(1),
    d_current_month     varchar(1),
    d_current_quarter   varchar(1),
    d_current_year      varchar(1)
)
PARTITIONED BY (d_year);

INSERT INTO transformed.date_dim SELECT * FROM raw.date_dim ORDER BY d_year;

CREATE TABLE IF NOT EXISTS transformed.household_demographics (
    hd_demo_sk        integer,
    hd_income_band_sk integer,
    hd_buy_potential  varchar(15),
    hd_dep_count      integer,
    hd_vehicle_count  integer
)
PARTITIONED BY (hd_buy_potential);

INSERT INTO transformed.household_demographics SELECT * FROM raw.household_demographics;

CREATE TABLE IF NOT EXISTS transformed.income_band (
    ib_income_band_sk integer,
    ib_lower_bound    integer,
    ib_upper_bound    integer
);

INSERT INTO transformed.income_band SELECT * FROM raw.income_band;

CREATE TABLE IF NOT EXISTS transformed.item (
    i_item_sk        integer,
    i_item_id        varchar(16),
    i_rec_start_date date,
    i_rec_end_date   date,
    i_item_desc      varchar(200),
    i_current_price  decimal(7,2),
    i_wholesale_cost decimal(7,2),
    i_brand_id       integer,
    i_brand          varchar(50),
    i_class_id       integer,
    i_class          varchar(50),
    i_category_id    integer,
    i_category       varchar(50),
    i_manufact_id    integer,
    i_manufact       varchar(50),
    i_size           varchar(20),
    i_formulation    varchar(20),
    i_color          varchar(20),
    i_units          varchar(10),
    i_container      varchar(10),
    i_manager_id     integer,
    i_product_name   varchar(50)
)
PARTITIONED BY (i_category);

INSERT INTO transformed.item SELECT * FROM raw.item;

CREATE TABLE IF NOT EXISTS transformed.promotion (
    p_promo_sk        integer,
    p_promo_id        varchar(16),
    p_start_date_sk   integer,
    p_end_date_sk     integer,
    p_item_sk         integer,
    p_cost            decimal(15,2),
    p_response_target integer,
    p_promo_name      varchar(50),
    p_channel_dmail   varchar(1),
    p_channel_email   varchar(1),
    p_channel_catalog varchar(1),
    p_channel_tv      varchar(1),
    p_channel_radio   varchar(1),
    p_channel_press   varchar(1),
    p_channel_event   varchar(1),
    p_channel_demo    varchar(1),
    p_channel_details varchar(100),
    p_purpose         varchar(15),
    p_discount_active varchar(1)
)
PARTITIONED BY (p_purpose);

INSERT INTO transformed.promotion SELECT * FROM raw.promotion;

CREATE TABLE IF NOT EXISTS transformed.time_dim (
    t_time_sk   integer,
    t_time_id   varchar(16),
    t_time      integer,
    t_hour      integer,
    t_minute    integer,
    t_second    integer,
    t_am_pm     varchar(2),
    t_shift     varchar(20),
    t_sub_shift varchar(20),
    t_meal_time varchar(20)
)
PARTITIONED BY (t_hour);

INSERT INTO transformed.time_dim SELECT * FROM raw.time_dim;

CREATE TABLE IF NOT EXISTS transformed.web_page (
    wp_web_page_sk      integer,
    wp_web_page_id      varchar(16),
    wp_rec_start_date   date,
    wp_rec_end_date     date,
    wp_creation_date_sk integer,
    wp_access_date_sk   integer,
    wp_autogen_flag     varchar(1),
    wp_customer_sk      integer,
    wp_url              varchar(100),
    wp_type             varchar(50),
    wp_char_count       integer,
    wp_link_count       integer,
    wp_image_count      integer,
    wp_max_ad_count     integer
)
PARTITIONED BY (wp_rec_start_date);

INSERT INTO transformed.web_page SELECT * FROM raw.web_page;

CREATE TABLE IF NOT EXISTS transformed.web_returns (
    wr_returned_date_sk      integer,
    wr_returned_time_sk      integer,
    wr_item_sk               integer,
    wr_refunded_customer_sk  integer,
    wr_refunded_cdemo_sk     integer,
    wr_refunded_hdemo_sk     integer,
    wr_refunded_addr_sk      integer,
    wr_returning_customer_sk integer,
    wr_returning_cdemo_sk    integer,
    wr_returning_hdemo_sk    integer,
    wr_returning_addr_sk     integer,
    wr_web_page_sk           integer,
    wr_reason_sk             integer,
    wr_order_number          integer,
    wr_return_quantity       integer,
    wr_return_amt            decimal(7,2),
    wr_return_tax            decimal(7,2),
    wr_return_amt_inc_tax    decimal(7,2),
    wr_fee                   decimal(7,2),
    wr_return_ship_cost      decimal(7,2),
    wr_refunded_cash         decimal(7,2),
    wr_reversed_charge       decimal(7,2),
    wr_account_credit        decimal(7,2),
    wr_net_loss              decimal(7,2)
)
PARTITIONED BY (wr_reason_sk);

INSERT INTO transformed.web_returns SELECT * FROM raw.web_returns;

CREATE TABLE IF NOT EXISTS transformed.customer_demographics (
    cd_demo_sk            integer,
    cd_gender             varchar(1),
    cd_marital_status     varchar(1),
    cd_education_status   varchar(20),
    cd_purchase_estimate  integer,
    cd_credit_rating      varchar(10),
    cd_dep_count          integer,
    cd_dep_employed_count integer,
    cd_dep_college_count  integer
);

INSERT INTO transformed.customer_demographics SELECT * FROM raw.customer_demographics;

CREATE TABLE IF NOT EXISTS transformed.reason (
    r_reason_sk   integer,
    r_reason_id   varchar(16),
    r_reason_desc varchar(100)
);

INSERT INTO transformed.reason SELECT * FROM raw.reason;

CREATE TABLE IF NOT EXISTS transformed.ship_mode (
    sm_ship_mode_sk integer,
    sm_ship_mode_id varchar(16),
    sm_type         varchar(30),
    sm_code         varchar(10),
    sm_carrier      varchar(20),
    sm_contract     varchar(20)
);

INSERT INTO transformed.ship_mode SELECT * FROM raw.ship_mode;

CREATE TABLE IF NOT EXISTS transformed.warehouse (
    w_warehouse_sk    integer,
    w_warehouse_id    varchar(16),
    w_warehouse_name  varchar(20),
    w_warehouse_sq_ft integer,
    w_street_number   varchar(10),
    w_street_name     varchar(60),
    w_street_type     varchar(15),
    w_suite_number    varchar(10),
    w_city            varchar(60),
    w_county          varchar(30),
    w_state           varchar(2),
    w_zip             varchar(10),
    w_country         varchar(20),
    w_gmt_offset      decimal(5,2)
);

INSERT INTO transformed.warehouse SELECT * FROM raw.warehouse;

CREATE TABLE IF NOT EXISTS transformed.web_site (
    web_site_sk        integer,
    web_site_id        varchar(16),
    web_rec_start_date date,
    web_rec_end_date   date,
    web_name           varchar(50),
    web_open_date_sk   integer,
    web_close_date_sk  integer,
    web_class          varchar(50),
    web_manager        varchar(40),
    web_mkt_id         integer,
    web_mkt_class      varchar(50),
    web_mkt_desc       varchar(100),
    web_market_manager varchar(40),
    web_company_id     integer,
    web_company_name   varchar(50),
    web_street_number  varchar(10),
    web_street_name    varchar(60),
    web_street_type    varchar(15),
    web_suite_number   varchar(10),
    web_city           varchar(60),
    web_county         varchar(30),
    web_state          varchar(2),
    web_zip            varchar(10),
    web_country        varchar(20),
    web_gmt_offset     decimal(5,2),
    web_tax_percentage decimal(5,2)
);

INSERT INTO transformed.web_site SELECT * FROM raw.web_site;

