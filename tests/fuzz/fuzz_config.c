/* fuzz_config.c - libFuzzer harness for the ranges.conf parser */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* normalised -- 1 when SET is sorted, disjoint and not adjacent */
static int
normalised(const struct targets_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		if (set->spans[i].lo > set->spans[i].hi)
			return 0;
		if (i > 0 && (uint64_t)set->spans[i - 1].hi + 1 >=
		    set->spans[i].lo)
			return 0;
	}
	return 1;
}

/*
 * check_range -- the invariants of one parsed range: its sets are
 * normalised, the swept set lies inside the includes and outside the
 * excludes, and a small expansion lists exactly the swept set.
 */
static void
check_range(const struct config *cfg, const struct config_range *r)
{
	struct targets_set set;
	uint32_t *v;
	size_t n, i;
	char err[256];

	if (config_find(cfg, r->name) != r || !printable(r->name) ||
	    strlen(r->name) == 0 || strlen(r->name) > CONFIG_NAME_MAX)
		abort();
	if (r->include.n == 0 || !normalised(&r->include) ||
	    !normalised(&r->exclude))
		abort();
	targets_init(&set);
	if (config_range_set(r, &set) == -1)
		abort();
	if (!normalised(&set) ||
	    targets_count(&set) > targets_count(&r->include))
		abort();
	for (i = 0; i < set.n; i++) {
		uint32_t ends[2] = { set.spans[i].lo, set.spans[i].hi };
		int k;

		for (k = 0; k < 2; k++)
			if (!targets_contains(&r->include, ends[k]) ||
			    targets_contains(&r->exclude, ends[k]))
				abort();
	}
	if (targets_expand(&set, 4096, &v, &n, err, sizeof(err)) == 0) {
		if (n != targets_count(&set))
			abort();
		for (i = 0; i < n; i++)
			if ((i > 0 && v[i] <= v[i - 1]) ||
			    !targets_contains(&set, v[i]))
				abort();
		free(v);
	} else if (targets_count(&set) <= 4096)
		abort();
	targets_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[512];
	size_t i;

	err[0] = '\0';
	if (config_parse(&cfg, "fuzz.conf", (const char *)data, size, err,
	    sizeof(err)) == -1) {
		if (strncmp(err, "fuzz.conf:", 10) != 0 || !printable(err) ||
		    cfg.n != 0 || cfg.ranges != NULL)
			abort();
		return 0;
	}
	for (i = 0; i < cfg.n; i++)
		check_range(&cfg, &cfg.ranges[i]);
	config_free(&cfg);
	return 0;
}
