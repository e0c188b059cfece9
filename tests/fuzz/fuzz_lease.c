/* fuzz_lease.c - libFuzzer harness for the DHCP lease file parsers */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lease.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The invariants: an error names the file and leaves nothing behind; a
 * parse gives one lease per address, ascending, with printable text that
 * fits, a known format, and an end that lease_active can compare.  Each
 * format is tried, and the detection.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lease_list l;
	char err[512];
	unsigned f;
	size_t k;

	for (f = LEASE_AUTO; f < LEASE_FORMAT_MAX; f++) {
		err[0] = '\0';
		if (lease_parse(&l, f, "fuzz", (const char *)data, size, err,
		    sizeof(err)) < 0) {
			if (strncmp(err, "fuzz:", 5) != 0 || !printable(err) ||
			    l.n != 0 || l.v != NULL)
				abort();
			continue;
		}
		if (l.format == LEASE_AUTO || l.format >= LEASE_FORMAT_MAX ||
		    (f != LEASE_AUTO && l.format != f))
			abort();
		for (k = 0; k < l.n; k++) {
			const struct lease *e = &l.v[k];

			if ((k > 0 && l.v[k - 1].addr >= e->addr) ||
			    !printable(e->host) || !printable(e->mac) ||
			    strlen(e->host) >= LEASE_TEXT_MAX ||
			    strlen(e->mac) >= LEASE_TEXT_MAX || e->ends < 0 ||
			    (e->held != 0 && e->held != 1) || e->line == 0)
				abort();
			(void)lease_active(e, 1795867200, LEASE_GRACE_S);
		}
		lease_free(&l);
	}
	return 0;
}
