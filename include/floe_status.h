/*
 * floe_status.h: the status codes every floe function returns.
 *
 * 0 is success; failures are negative. This header has no dependencies so
 * that both the public API (floe.h) and the internal base layer can share
 * one list. Codes are only ever appended, never renumbered or removed.
 */
#ifndef FLOE_STATUS_H
#define FLOE_STATUS_H

enum {
    FLOE_OK = 0,
    FLOE_ERROR = -1,       /* generic failure */
    FLOE_ENOMEM = -2,      /* out of memory */
    FLOE_EINVAL = -3,      /* bad argument or bad input value */
    FLOE_EIO = -4,         /* operating system or storage I/O failure */
    FLOE_ENOTFOUND = -5,   /* file, table, column ... does not exist */
    FLOE_ECORRUPT = -6,    /* a file's bytes violate its format */
    FLOE_EUNSUPPORTED = -7,/* valid, but a feature floe does not implement */
    FLOE_ECONFLICT = -8,   /* concurrent commit won: refresh and retry */
    FLOE_EUNKNOWN = -9,    /* commit outcome unknown: never delete what was written */
    FLOE_EEXISTS = -10,    /* already exists */
    FLOE_ESYNTAX = -11,    /* syntax error in SQL, DDL, expressions */
    FLOE_ETYPE = -12,      /* type mismatch */
    FLOE_ERANGE = -13,     /* value out of range / overflow */
    FLOE_ECANCELED = -14,  /* cancelled by the caller */
    FLOE_EINTERNAL = -15,  /* a bug in floe */
    FLOE_ELIMIT = -16,     /* a configured limit was exceeded */
};

#endif
