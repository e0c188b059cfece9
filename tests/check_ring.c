/* check_ring.c - the timer ring: order, growth across the wrap, due times */
#include <check.h>
#include <stdlib.h>

#include "ring.h"

Suite *ring_suite(void);

START_TEST(test_empty)
{
	struct ring r = { 0 };

	ck_assert_int_eq(ring_due(&r, 0), 0);
	ck_assert_int_eq(ring_due(&r, UINT64_MAX), 0);
	ring_free(&r);
	ck_assert_uint_eq(r.len, 0);
	ck_assert_ptr_null(r.job);
}
END_TEST

START_TEST(test_due)
{
	struct ring r = { 0 };

	ck_assert_int_eq(ring_push(&r, 7, 100), 0);
	ck_assert_int_eq(ring_push(&r, 8, 200), 0);
	ck_assert_int_eq(ring_due(&r, 99), 0);
	ck_assert_int_eq(ring_due(&r, 100), 1);
	ck_assert_uint_eq(ring_head(&r), 7);
	ck_assert_uint_eq(ring_head_due(&r), 100);
	ck_assert_uint_eq(ring_pop(&r), 7);
	ck_assert_int_eq(ring_due(&r, 150), 0);
	ck_assert_int_eq(ring_due(&r, 200), 1);
	ck_assert_uint_eq(ring_pop(&r), 8);
	ck_assert_int_eq(ring_due(&r, UINT64_MAX), 0);
	ring_free(&r);
}
END_TEST

/*
 * FIFO order kept while the ring grows with its contents wrapped round
 * the end of the storage: pop some, push more than the capacity, at
 * several starting offsets (_i).
 */
START_TEST(test_grow_wrapped)
{
	struct ring r = { 0 };
	uint32_t next_in = 0, next_out = 0, k;

	for (k = 0; k < 1000 + (uint32_t)_i * 7; k++) {
		ck_assert_int_eq(ring_push(&r, next_in, next_in), 0);
		next_in++;
	}
	for (k = 0; k < 900; k++)
		ck_assert_uint_eq(ring_pop(&r), next_out++);
	/* the tail wraps now; push past the capacity to force growth */
	for (k = 0; k < 5000; k++) {
		ck_assert_int_eq(ring_push(&r, next_in, next_in), 0);
		next_in++;
	}
	ck_assert_uint_eq(r.len, next_in - next_out);
	while (r.len > 0) {
		ck_assert_uint_eq(ring_head_due(&r), next_out);
		ck_assert_uint_eq(ring_pop(&r), next_out++);
	}
	ck_assert_uint_eq(next_out, next_in);
	ring_free(&r);
}
END_TEST

/* Emptied and refilled many times around the storage: still FIFO. */
START_TEST(test_cycle)
{
	struct ring r = { 0 };
	uint32_t i, j;

	for (i = 0; i < 3000; i++) {
		for (j = 0; j < 3; j++)
			ck_assert_int_eq(ring_push(&r, i * 3 + j, i), 0);
		for (j = 0; j < 3; j++)
			ck_assert_uint_eq(ring_pop(&r), i * 3 + j);
	}
	ck_assert_uint_eq(r.cap, 1024);   /* never needed to grow */
	ring_free(&r);
}
END_TEST

/* ring_at: the jobs behind the head in order, also wrapped round the end
   of the storage; the ring is left as it was */
START_TEST(test_at)
{
	struct ring r = { 0 };
	uint32_t k;

	for (k = 0; k < 1000; k++)
		ck_assert_int_eq(ring_push(&r, k, k), 0);
	for (k = 0; k < 990; k++)
		ring_pop(&r);
	for (k = 0; k < 30; k++)
		ck_assert_int_eq(ring_push(&r, 1000 + k, 0), 0);
	ck_assert_uint_eq(r.cap, 1024);   /* the last 6 wrapped */
	for (k = 0; k < r.len; k++)
		ck_assert_uint_eq(ring_at(&r, k), 990 + k);
	ck_assert_uint_eq(r.len, 40);
	ck_assert_uint_eq(ring_head(&r), 990);
	ring_free(&r);
}
END_TEST

/* Runs come out a job at a time, in order; an empty run is none. */
START_TEST(test_runs)
{
	struct ring r = { 0 };
	uint32_t want[] = { 5, 6, 7, 20, 4000000000u }, j;
	size_t k;

	ck_assert_int_eq(ring_pop_run(&r, &j), 0);
	ck_assert_int_eq(ring_push_run(&r, 5, 3), 0);
	ck_assert_int_eq(ring_push_run(&r, 10, 0), 0);
	ck_assert_int_eq(ring_push_run(&r, 20, 1), 0);
	ck_assert_int_eq(ring_push_run(&r, 4000000000u, 1), 0);
	ck_assert_uint_eq(r.len, 3);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		ck_assert_int_eq(ring_pop_run(&r, &j), 1);
		ck_assert_uint_eq(j, want[k]);
	}
	ck_assert_int_eq(ring_pop_run(&r, &j), 0);
	/* a thousand runs at once: across the growth, then the wrap */
	for (k = 0; k < 1000; k++)
		ck_assert_int_eq(ring_push_run(&r, (uint32_t)k * 10, 2), 0);
	for (k = 0; k < 2000; k++) {
		ck_assert_int_eq(ring_pop_run(&r, &j), 1);
		ck_assert_uint_eq(j, (uint32_t)(k / 2 * 10 + k % 2));
		if (k % 2 == 1)
			ck_assert_int_eq(ring_push_run(&r, 7, 1), 0);
	}
	for (k = 0; k < 1000; k++) {
		ck_assert_int_eq(ring_pop_run(&r, &j), 1);
		ck_assert_uint_eq(j, 7);
	}
	ck_assert_int_eq(ring_pop_run(&r, &j), 0);
	ring_free(&r);
}
END_TEST

Suite *
ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("fifo");

	tcase_add_test(tc, test_runs);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_due);
	tcase_add_loop_test(tc, test_grow_wrapped, 0, 5);
	tcase_add_test(tc, test_cycle);
	tcase_add_test(tc, test_at);
	suite_add_tcase(s, tc);
	return s;
}
