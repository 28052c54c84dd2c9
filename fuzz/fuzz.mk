# fuzz: libFuzzer targets, one per decoder (see fuzz/run.sh and `make fuzz`).
# Each fuzz/fuzz_*.c defines LLVMFuzzerTestOneInput and links libfloe.a;
# targets are wired as their files appear.
FUZZ_TARGETS += $(sort $(wildcard fuzz/fuzz_*.c))
