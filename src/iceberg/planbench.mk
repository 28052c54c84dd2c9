# src/iceberg/planbench.mk: the scan-planning benchmark program (engineer
# "planbench"; sources in bench/plan/, run by bench/run.sh from `make bench`).
PLANBENCH_OBJ := $(BUILD)/bench/plan/plan_bench.o $(BUILD)/bench/plan/plan_gen.o

$(BUILD)/floe-plan-bench: $(PLANBENCH_OBJ) $(BUILD)/libfloe.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS)

bench: $(BUILD)/floe-plan-bench

-include $(PLANBENCH_OBJ:.o=.d)
