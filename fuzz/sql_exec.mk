# fuzz/sql_exec.mk: the whole-engine SQL fuzz target (fuzz/fuzz_sql_exec.c,
# owner: hardening). fuzz/fuzz.mk already picks up every fuzz/fuzz_*.c, so
# this adds it only when that wildcard did not (no target runs twice).
# Seed its corpus with fuzz/sql_exec_seed.sh BUILD_DIR/corpus/fuzz_sql_exec.
FUZZ_TARGETS += $(filter-out $(FUZZ_TARGETS),fuzz/fuzz_sql_exec.c)
