/*
 * error.c: formatting and defaults for fl_error (see error.h).
 */
#include "error.h"

#include <stdio.h>
#include <string.h>

void fl_error_clear(fl_error *err)
{
    if (!err) return;
    err->code = 0;
    err->sqlstate[0] = 0;
    err->message[0] = 0;
    err->detail[0] = 0;
}

int fl_error_setv(fl_error *err, int code, const char *fmt, va_list ap)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", fl_status_sqlstate(code));
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    err->detail[0] = 0;
    return code;
}

int fl_error_set(fl_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fl_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int fl_error_set_sqlstate(fl_error *err, int code, const char *sqlstate, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fl_error_setv(err, code, fmt, ap);
    va_end(ap);
    if (err) snprintf(err->sqlstate, sizeof err->sqlstate, "%s", sqlstate);
    return code;
}

void fl_error_prefix(fl_error *err, const char *fmt, ...)
{
    if (!err) return;
    char prefix[FL_ERROR_MSG_MAX], old[FL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    size_t plen = strlen(prefix);
    memcpy(err->message, prefix, plen + 1);
    if (plen + 1 < sizeof err->message) {
        size_t room = sizeof err->message - plen - 1, olen = strlen(old);
        if (olen > room) olen = room;
        memcpy(err->message + plen, old, olen);
        err->message[plen + olen] = 0;
    }
}

void fl_error_detail(fl_error *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

const char *fl_status_name(int code)
{
    switch (code) {
    case FLOE_OK: return "FLOE_OK";
    case FLOE_ERROR: return "FLOE_ERROR";
    case FLOE_ENOMEM: return "FLOE_ENOMEM";
    case FLOE_EINVAL: return "FLOE_EINVAL";
    case FLOE_EIO: return "FLOE_EIO";
    case FLOE_ENOTFOUND: return "FLOE_ENOTFOUND";
    case FLOE_ECORRUPT: return "FLOE_ECORRUPT";
    case FLOE_EUNSUPPORTED: return "FLOE_EUNSUPPORTED";
    case FLOE_ECONFLICT: return "FLOE_ECONFLICT";
    case FLOE_EUNKNOWN: return "FLOE_EUNKNOWN";
    case FLOE_EEXISTS: return "FLOE_EEXISTS";
    case FLOE_ESYNTAX: return "FLOE_ESYNTAX";
    case FLOE_ETYPE: return "FLOE_ETYPE";
    case FLOE_ERANGE: return "FLOE_ERANGE";
    case FLOE_ECANCELED: return "FLOE_ECANCELED";
    case FLOE_EINTERNAL: return "FLOE_EINTERNAL";
    case FLOE_ELIMIT: return "FLOE_ELIMIT";
    default: return "FLOE_E?";
    }
}

const char *fl_status_sqlstate(int code)
{
    switch (code) {
    case FLOE_OK: return "00000";
    case FLOE_ENOMEM: return "53200";
    case FLOE_EINVAL: return "22023";
    case FLOE_EIO: return "58030";
    case FLOE_ENOTFOUND: return "42P01";
    case FLOE_ECORRUPT: return "XX001";
    case FLOE_EUNSUPPORTED: return "0A000";
    case FLOE_ECONFLICT: return "40001";
    case FLOE_EUNKNOWN: return "40003";
    case FLOE_EEXISTS: return "42P07";
    case FLOE_ESYNTAX: return "42601";
    case FLOE_ETYPE: return "42804";
    case FLOE_ERANGE: return "22003";
    case FLOE_ECANCELED: return "57014";
    case FLOE_ELIMIT: return "54000";
    default: return "XX000";
    }
}
