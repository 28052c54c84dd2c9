# tests/tpcds/load_script.sh: sourced by tests/tpcds/run.sh and
# bench/tpcds.sh. tpcds_load_script TPCDS_DIR WORK_DIR writes
# WORK_DIR/load.sql (CREATE SCHEMA tpcds, the DDL of every table in
# TPCDS_DIR/schema, then COPY ... FROM each web-channel table) and
# decompresses TPCDS_DIR/sf1-web/T.dat.zst to WORK_DIR/T.dat.
tpcds_load_script() {
  local tpcds=$1 work=$2 f z t
  {
    echo "CREATE SCHEMA tpcds; USE tpcds;"
    for f in "$tpcds"/schema/*.sql; do cat "$f"; echo ";"; done
  } > "$work/load.sql"
  for z in "$tpcds"/sf1-web/*.dat.zst; do
    t=$(basename "$z" .dat.zst)
    zstd -q -d -c "$z" > "$work/$t.dat"
    echo "COPY $t FROM '$work/$t.dat' (DELIMITER '|', HEADER false, NULL '');" >> "$work/load.sql"
  done
}
