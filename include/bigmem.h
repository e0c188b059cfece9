/* bigmem.h - per-job arrays: page-aligned, kept out of forked workers */
#ifndef IPSWEEP_BIGMEM_H
#define IPSWEEP_BIGMEM_H

#include <stddef.h>

/*
 * bigmem_calloc -- N zeroed elements of SIZE bytes that this process
 * alone sees: a mapping of their own that fork() does not hand on
 * (MADV_DONTFORK).  The collector and the pool write to theirs all
 * through a sweep; without this, every worker forked before would keep
 * the untouched copy of each page the parent wrote to, and a /12 would
 * hold its verdicts three times over.  A worker that touches one dies of
 * SIGSEGV, loudly.  The elements start on a page, so that a worker's own
 * arrays cost it only the pages of the chunks it holds.  Under
 * AddressSanitizer it is calloc(), so that bounds are checked.  Returns
 * NULL with errno on failure.
 */
void *bigmem_calloc(size_t n, size_t size);

/* bigmem_free -- give back what bigmem_calloc() returned (NULL: nothing) */
void bigmem_free(void *p);

#endif
