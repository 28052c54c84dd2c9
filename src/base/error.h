/*
 * error.h: the error type carried by every fallible function.
 *
 * Every fallible function returns an int status (0 ok, a negative FLOE_E*
 * code) and takes an `fl_error *err` as its last argument, which receives
 * the code, an SQLSTATE and a one-line message in PostgreSQL's style:
 * lowercase, no final period, naming the thing and the reason.
 * `err` may be NULL when the caller does not want the message.
 */
#ifndef FL_ERROR_H
#define FL_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include "../../include/floe_status.h"

#define FL_ERROR_MSG_MAX 512

typedef struct fl_error {
    int code;                        /* FLOE_OK or a FLOE_E* code */
    char sqlstate[6];                /* five characters + NUL, "" if unset */
    char message[FL_ERROR_MSG_MAX];
    char detail[FL_ERROR_MSG_MAX];
} fl_error;

void fl_error_clear(fl_error *err);

/* Sets code and message; returns code so callers can `return fl_error_set(...)`.
 * The SQLSTATE defaults from the code (see fl_status_sqlstate). */
int fl_error_set(fl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int fl_error_setv(fl_error *err, int code, const char *fmt, va_list ap);
int fl_error_set_sqlstate(fl_error *err, int code, const char *sqlstate,
                          const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Prepends context to the existing message: "could not read "f": " + old. */
void fl_error_prefix(fl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fl_error_detail(fl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *fl_status_name(int code);     /* "FLOE_ECORRUPT" */
const char *fl_status_sqlstate(int code); /* default SQLSTATE for a code */

#define FL_TRY(expr) do { int fl_try_rc_ = (expr); if (fl_try_rc_ < 0) return fl_try_rc_; } while (0)
#define FL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FL_LIKELY(x) __builtin_expect(!!(x), 1)
#define FL_UNLIKELY(x) __builtin_expect(!!(x), 0)
#include <assert.h>
#define FL_ASSERT(x) assert(x)

#endif
