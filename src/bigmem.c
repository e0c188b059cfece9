/* bigmem.c - the parent's per-job arrays, kept out of the workers */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bigmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define BIGMEM_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIGMEM_PLAIN 1
#endif
#endif

/* The mapping's length goes in front of the elements, 64 bytes kept. */
#define BIGMEM_HEAD 64

void *
bigmem_calloc(size_t n, size_t size)
{
#ifdef BIGMEM_PLAIN
	return calloc(n ? n : 1, size ? size : 1);
#else
	size_t len;
	uint8_t *m;

	if (n == 0)
		n = 1;
	if (size != 0 && n > (SIZE_MAX - BIGMEM_HEAD) / size) {
		errno = ENOMEM;
		return NULL;
	}
	len = BIGMEM_HEAD + n * size;
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* no worker needs these: not even a copy-on-write reference */
	(void)madvise(m, len, MADV_DONTFORK);
	*(size_t *)(void *)m = len;
	return m + BIGMEM_HEAD;
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
	m = (uint8_t *)p - BIGMEM_HEAD;
	munmap(m, *(size_t *)(void *)m);
#endif
}
