/* priv.h - give up privilege once the sockets are open */
#ifndef IPSWEEP_PRIV_H
#define IPSWEEP_PRIV_H

#include <stddef.h>

/* Whether programs are executed after the drop. */
enum priv_mode {
	/*
	 * Nothing is executed (the ICMP engine): no program started later
	 * may gain privilege either.  no_new_privs is set, and the bounding
	 * set is emptied when we hold CAP_SETPCAP (root; a cap_net_raw+ep
	 * install does not, and its bounding set stays as it was).
	 */
	PRIV_MODE_SEALED = 0,
	/*
	 * Workers execute ping(8), which gets its own privilege from its file
	 * capability (Debian's ping has cap_net_raw+ep) or, run by root, from
	 * the exec: no_new_privs and a smaller bounding set would both take
	 * that away, so they are left alone.
	 */
	PRIV_MODE_EXEC
};

/*
 * priv_drop_mode -- after every privileged descriptor is open: a setuid or
 * setgid binary becomes its real user and group for good (main refuses to
 * run setuid or setgid, so this is a second line), and every capability
 * (effective, permitted, inheritable) is cleared, so that neither the
 * parent nor the workers can do more than read and write what they hold;
 * then MODE as above.  Root keeps uid 0 but no capability.  Checks the
 * result: CapEff 0, no effective uid 0 for another user, and for
 * PRIV_MODE_SEALED no_new_privs set.  Returns 0, or -1 with ERR set; a
 * failed drop must be fatal to the caller.
 */
int priv_drop_mode(enum priv_mode mode, char *err, size_t errlen);

/* priv_drop -- priv_drop_mode(PRIV_MODE_EXEC, ...): right for any engine */
int priv_drop(char *err, size_t errlen);

/*
 * priv_raise_net_raw -- make CAP_NET_RAW effective when it is only
 * permitted (a cap_net_raw+p install, as Debian's ping has; +ep needs
 * nothing), for the raw sockets; priv_drop_mode takes it away again.
 * Returns 0 (also when it is not permitted: nothing to raise), or -1.
 */
int priv_raise_net_raw(void);

/* priv_cap_effective -- the CapEff mask of this process, or -1 */
long long priv_cap_effective(void);

#endif
