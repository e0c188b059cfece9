/* ring.c - a FIFO of jobs with due times; no syscalls */
#include <stdlib.h>
#include <string.h>

#include "ring.h"

/*
 * ring_grow -- double the capacity (1024 to start with), unwrapping the
 * contents to the front.  Both arrays are allocated before either is
 * replaced, so a failure leaves R as it was.
 */
static int
ring_grow(struct ring *r)
{
	size_t cap = r->cap ? r->cap * 2 : 1024, k;
	uint32_t *nj;
	uint64_t *nd;

	if (cap < r->cap || cap > SIZE_MAX / sizeof(*nd))
		return -1;
	nj = malloc(cap * sizeof(*nj));
	nd = malloc(cap * sizeof(*nd));
	if (nj == NULL || nd == NULL) {
		free(nj);
		free(nd);
		return -1;
	}
	for (k = 0; k < r->len; k++) {
		nj[k] = r->job[(r->head + k) % r->cap];
		nd[k] = r->due[(r->head + k) % r->cap];
	}
	free(r->job);
	free(r->due);
	r->job = nj;
	r->due = nd;
	r->cap = cap;
	r->head = 0;
	return 0;
}

int
ring_push(struct ring *r, uint32_t job, uint64_t due)
{
	size_t i;

	if (r->len == r->cap && ring_grow(r) < 0)
		return -1;
	i = (r->head + r->len++) % r->cap;
	r->job[i] = job;
	r->due[i] = due;
	return 0;
}

int
ring_due(const struct ring *r, uint64_t now)
{
	return r->len > 0 && r->due[r->head] <= now;
}

uint32_t
ring_at(const struct ring *r, size_t i)
{
	return r->job[(r->head + i) % r->cap];
}

uint32_t
ring_head(const struct ring *r)
{
	return r->job[r->head];
}

uint64_t
ring_head_due(const struct ring *r)
{
	return r->due[r->head];
}

uint32_t
ring_pop(struct ring *r)
{
	uint32_t job = r->job[r->head];

	r->head = (r->head + 1) % r->cap;
	r->len--;
	return job;
}

int
ring_push_run(struct ring *r, uint32_t first, uint32_t count)
{
	return count > 0 ? ring_push(r, first, count) : 0;
}

int
ring_pop_run(struct ring *r, uint32_t *job)
{
	if (r->len == 0)
		return 0;
	*job = r->job[r->head];
	if (r->due[r->head] > 1) {
		r->job[r->head]++;
		r->due[r->head]--;
	} else {
		ring_pop(r);
	}
	return 1;
}

void
ring_free(struct ring *r)
{
	free(r->job);
	free(r->due);
	memset(r, 0, sizeof(*r));
}
