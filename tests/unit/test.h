/*
 * test.h: the unit-test harness. Each test file defines tests with TEST();
 * they register themselves at start-up and tests/unit/runner.c runs them
 * (optionally filtered by substring), printing "N passed, N failed".
 * A test fails if any CHECK in it fails; checks report file:line and values.
 */
#ifndef FLOE_TEST_H
#define FLOE_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef void (*ft_fn)(void);
void ft_register(const char *name, const char *file, ft_fn fn);
bool ft_check(bool ok, const char *expr, const char *file, int line);
bool ft_check_i64(int64_t a, int64_t b, const char *ea, const char *eb, const char *file, int line);
bool ft_check_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
                  int line);
bool ft_check_mem(const void *a, size_t alen, const void *b, size_t blen, const char *ea,
                  const char *file, int line);
/* Path of a file under the shared folder (fixtures, tpcds): $FLOE_SHARED,
 * else ../shared next to the repository, else /work/shared. Static buffer
 * ring: valid for the next few calls. */
const char *ft_shared(const char *relative);
/* A fresh empty temporary directory for this test (removed at exit). */
const char *ft_tmpdir(void);

#define TEST(name)                                                                   \
    static void name(void);                                                          \
    __attribute__((constructor)) static void name##_register(void)                   \
    {                                                                                \
        ft_register(#name, __FILE__, name);                                          \
    }                                                                                \
    static void name(void)

#define CHECK(cond) ft_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b) ft_check_i64((int64_t)(a), (int64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) ft_check_str((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_MEM(a, alen, b, blen) ft_check_mem((a), (alen), (b), (blen), #a, __FILE__, __LINE__)
/* rc expression must be >= 0; prints the fl_error message otherwise */
#define CHECK_OK(expr, errp)                                                         \
    ft_check_ok((expr), (errp), #expr, __FILE__, __LINE__)
struct fl_error;
bool ft_check_ok(int rc, const struct fl_error *err, const char *expr, const char *file, int line);

#endif
