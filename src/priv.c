/* priv.c - drop setuid identity and capabilities after setup */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "escape.h"
#include "priv.h"

/* Capability numbers are below 64: the masks here are two 32-bit words. */
#define PRIV_CAP_LIMIT 64

/*
 * priv_bounding_drop -- remove every capability from the bounding set, so
 * that no program executed later can gain one from its file or from
 * being run by root.  Needs CAP_SETPCAP in the effective set, so it comes
 * before the capabilities are cleared.  cap_get_bound fails past the
 * kernel's last capability, which ends the loop; a drop refused with
 * EPERM (a user namespace, a security module) or EINVAL leaves that
 * capability and goes on.  Returns 0, or -1 with ERR set.
 */
static int
priv_bounding_drop(char *err, size_t errlen)
{
	int cap;

	for (cap = 0; cap < PRIV_CAP_LIMIT; cap++) {
		int r = cap_get_bound((cap_value_t)cap);

		if (r < 0)
			break;
		if (r == 0 || cap_drop_bound((cap_value_t)cap) == 0 ||
		    errno == EPERM || errno == EINVAL)
			continue;
		escape_err(err, errlen, "cannot drop capability %d from the "
		    "bounding set: %s", cap, strerror(errno));
		return -1;
	}
	return 0;
}

int
priv_drop_mode(enum priv_mode mode, char *err, size_t errlen)
{
	cap_t none;
	gid_t rg = getgid();
	uid_t ru = getuid();
	long long eff;

	if (getegid() != rg && setresgid(rg, rg, rg) < 0) {
		escape_err(err, errlen, "cannot drop group privilege: %s",
		    strerror(errno));
		return -1;
	}
	if (geteuid() != ru && setresuid(ru, ru, ru) < 0) {
		escape_err(err, errlen, "cannot drop user privilege: %s",
		    strerror(errno));
		return -1;
	}
	eff = priv_cap_effective();
	if (mode == PRIV_MODE_SEALED && eff > 0 &&
	    (eff & 1LL << CAP_SETPCAP) != 0) {
		if (priv_bounding_drop(err, errlen) < 0)
			return -1;
	}
	/* cap_init: effective, permitted and inheritable all clear */
	none = cap_init();
	if (none == NULL || cap_set_proc(none) < 0) {
		int e = errno;

		if (none != NULL)
			cap_free(none);
		escape_err(err, errlen, "cannot drop capabilities: %s",
		    strerror(e));
		return -1;
	}
	cap_free(none);
	if (mode == PRIV_MODE_SEALED &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		escape_err(err, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	if (priv_cap_effective() != 0 || (ru != 0 && geteuid() == 0) ||
	    (mode == PRIV_MODE_SEALED &&
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)) {
		escape_err(err, errlen, "privileges are still held after the "
		    "drop");
		return -1;
	}
	return 0;
}

int
priv_drop(char *err, size_t errlen)
{
	return priv_drop_mode(PRIV_MODE_EXEC, err, errlen);
}

int
priv_raise_net_raw(void)
{
	cap_t c = cap_get_proc();
	cap_value_t v = CAP_NET_RAW;
	cap_flag_value_t prm = CAP_CLEAR, eff = CAP_CLEAR;
	int rc = 0;

	if (c == NULL)
		return -1;
	if (cap_get_flag(c, v, CAP_PERMITTED, &prm) < 0 ||
	    cap_get_flag(c, v, CAP_EFFECTIVE, &eff) < 0)
		rc = -1;
	else if (prm == CAP_SET && eff == CAP_CLEAR &&
	    (cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0 ||
	    cap_set_proc(c) < 0))
		rc = -1;
	cap_free(c);
	return rc;
}

long long
priv_cap_effective(void)
{
	cap_t c = cap_get_proc();
	long long eff = 0;
	int cap;

	if (c == NULL)
		return -1;
	for (cap = 0; cap < PRIV_CAP_LIMIT; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(c, (cap_value_t)cap, CAP_EFFECTIVE, &v) < 0)
			break;
		if (v == CAP_SET)
			eff |= (long long)(1ULL << cap);
	}
	cap_free(c);
	return eff;
}
