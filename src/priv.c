/* priv.c - drop setuid identity and capabilities after setup */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "priv.h"

int
priv_drop(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];
	gid_t rg = getgid();
	uid_t ru = getuid();

	if (getegid() != rg && setresgid(rg, rg, rg) < 0) {
		snprintf(err, errlen, "cannot drop group privilege: %s",
		    strerror(errno));
		return -1;
	}
	if (geteuid() != ru && setresuid(ru, ru, ru) < 0) {
		snprintf(err, errlen, "cannot drop user privilege: %s",
		    strerror(errno));
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	hdr.pid = 0;
	if (syscall(SYS_capset, &hdr, data) < 0) {
		snprintf(err, errlen, "cannot drop capabilities: %s",
		    strerror(errno));
		return -1;
	}
	if (priv_cap_effective() != 0 || (ru != 0 && geteuid() == 0)) {
		snprintf(err, errlen, "privileges are still held after the "
		    "drop");
		return -1;
	}
	return 0;
}

long long
priv_cap_effective(void)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[2];

	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -1;
	return (long long)data[0].effective |
	    (long long)data[1].effective << 32;
}
