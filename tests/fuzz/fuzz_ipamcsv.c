/* fuzz_ipamcsv.c - libFuzzer harness for the IPAM CSV export parser */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipamcsv.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The invariants: an error names the file and leaves nothing behind;
 * every entry kept has printable text that fits, a status that does not
 * free it, and lines in file order.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipamcsv_list l;
	char err[512];
	size_t k;

	err[0] = '\0';
	if (ipamcsv_parse(&l, "fuzz", (const char *)data, size, err,
	    sizeof(err)) < 0) {
		if (strncmp(err, "fuzz:", 5) != 0 || !printable(err) ||
		    l.n != 0 || l.v != NULL)
			abort();
		return 0;
	}
	for (k = 0; k < l.n; k++) {
		const struct ipamcsv_entry *e = &l.v[k];

		if (!printable(e->name) || !printable(e->status) ||
		    strlen(e->name) >= IPAMCSV_TEXT_MAX ||
		    ipamcsv_status_free(e->status, strlen(e->status)) ||
		    e->line < 2 || (k > 0 && l.v[k - 1].line >= e->line))
			abort();
	}
	ipamcsv_free(&l);
	return 0;
}
