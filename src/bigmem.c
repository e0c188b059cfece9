/* bigmem.c - per-job arrays: page-aligned, kept out of forked workers */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bigmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define BIGMEM_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIGMEM_PLAIN 1
#endif
#endif

/*
 * The mapping's length goes in a page of its own in front of the
 * elements, so that they start on a page: chunks of 4096 jobs then own
 * whole pages of a byte array, and a worker touches only its own.
 */
#ifndef BIGMEM_PLAIN
static size_t
bigmem_head(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	return pg >= (long)sizeof(size_t) ? (size_t)pg : 4096;
}
#endif

void *
bigmem_calloc(size_t n, size_t size)
{
#ifdef BIGMEM_PLAIN
	return calloc(n ? n : 1, size ? size : 1);
#else
	size_t len, head = bigmem_head();
	uint8_t *m;

	if (n == 0)
		n = 1;
	if (size != 0 && n > (SIZE_MAX - head) / size) {
		errno = ENOMEM;
		return NULL;
	}
	len = head + n * size;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* no worker needs these: not even a copy-on-write reference */
	(void)madvise(m, len, MADV_DONTFORK);
	*(size_t *)(void *)m = len;
	return m + head;
#endif
}

void
bigmem_free(void *p)
{
#ifdef BIGMEM_PLAIN
	free(p);
#else
	uint8_t *m;

	if (p == NULL)
		return;
	m = (uint8_t *)p - bigmem_head();
	munmap(m, *(size_t *)(void *)m);
#endif
}
