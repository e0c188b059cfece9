/* priv.h - give up privilege once the sockets are open */
#ifndef IPSWEEP_PRIV_H
#define IPSWEEP_PRIV_H

#include <stddef.h>

/*
 * priv_drop -- after every privileged descriptor is open: a setuid or
 * setgid binary becomes its real user and group for good, and every
 * capability (effective, permitted, inheritable) is cleared, so that
 * neither the parent nor the workers can do more than read and write what
 * they hold.  Root keeps uid 0 but no capability.  Returns 0, or -1 with
 * ERR set; a failed drop must be fatal to the caller.
 */
int priv_drop(char *err, size_t errlen);

/* priv_cap_effective -- the CapEff mask of this process, or -1 */
long long priv_cap_effective(void);

#endif
