/* check_bigmem.c - per-job arrays: page-aligned, not inherited */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bigmem.h"

Suite *bigmem_suite(void);

#if defined(__SANITIZE_ADDRESS__)
#define PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLAIN 1
#endif
#endif

/* Zeroed, writable, as big as asked, and given back. */
START_TEST(test_zeroed)
{
	size_t n = 3u << 20, j;
	uint32_t *p = bigmem_calloc(n, sizeof(*p));

	ck_assert_ptr_nonnull(p);
	for (j = 0; j < n; j += 4093)
		ck_assert_uint_eq(p[j], 0);
	p[0] = 1;
	p[n - 1] = 2;
	ck_assert_uint_eq(p[0] + p[n - 1], 3);
	bigmem_free(p);
	bigmem_free(NULL);
	/* none at all is one */
	p = bigmem_calloc(0, sizeof(*p));
	ck_assert_ptr_nonnull(p);
	p[0] = 7;
	bigmem_free(p);
}
END_TEST

/* A child forked after it does not have it: touching it kills the child. */
START_TEST(test_not_inherited)
{
	uint8_t *m = bigmem_calloc(1u << 20, 1);
	volatile uint8_t *p = m;
	int status;
	pid_t pid;

	ck_assert_ptr_nonnull(m);
	p[100] = 42;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		_exit(p[100] == 42 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
#ifdef PLAIN
	/* AddressSanitizer: plain calloc(), inherited as any memory */
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#else
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGSEGV);
#endif
	ck_assert_uint_eq(p[100], 42);
	bigmem_free(m);
}
END_TEST

/*
 * The elements start on a page: a byte array's chunk of 4096 jobs is one
 * page, and touching one chunk makes only that page resident.
 */
START_TEST(test_page_aligned)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t n = 64 * (size_t)pg, j;
	uint8_t *m = bigmem_calloc(n, 1);
	unsigned char vec[64];

	ck_assert_ptr_nonnull(m);
#ifdef PLAIN
	(void)vec;
	(void)j;
#else
	ck_assert_uint_eq((uintptr_t)m % (uintptr_t)pg, 0);
	for (j = 0; j < (size_t)pg; j++)
		m[5 * (size_t)pg + j] = 1;   /* all of the sixth page */
	ck_assert_int_eq(mincore(m, n, vec), 0);
	for (j = 0; j < 64; j++)
		ck_assert_uint_eq(vec[j] & 1, j == 5);
#endif
	bigmem_free(m);
}
END_TEST

Suite *
bigmem_suite(void)
{
	Suite *s = suite_create("bigmem");
	TCase *tc = tcase_create("bigmem");

	tcase_add_test(tc, test_zeroed);
	tcase_add_test(tc, test_not_inherited);
	tcase_add_test(tc, test_page_aligned);
	suite_add_tcase(s, tc);
	return s;
}
