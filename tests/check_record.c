/* check_record.c - unit tests for the pipe record encoder and decoder */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "record.h"
#include "verdict.h"

Suite *record_suite(void);

/* t_fnv1a -- the reference FNV-1a 32, written out from the spec */
static uint32_t
t_fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = 0x811c9dc5u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x01000193u;
	return h;
}

/* t_reseal -- rewrite the check word after a test edited BUF */
static void
t_reseal(uint8_t *buf)
{
	uint32_t h = t_fnv1a(buf, 28);

	buf[28] = (uint8_t)h;
	buf[29] = (uint8_t)(h >> 8);
	buf[30] = (uint8_t)(h >> 16);
	buf[31] = (uint8_t)(h >> 24);
}

/*
 * t_sample -- a valid record of TYPE with every 32-bit field's top bit set
 * (kind and reason are what the type allows)
 */
static void
t_sample(struct record *r, uint8_t type)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->kind = type == RECORD_STATS ? RECORD_LOSS_ARP : 0;
	r->reason = type == RECORD_EVIDENCE ? REASON_RCVBUF_OVERFLOW : 0;
	r->probes = 0xfe;
	r->job = 0x80a1b2c3u;
	r->count = 0x9d8e7f60u;
	r->rtt_us = 0xf1020304u;
	r->aux = 0x8badf00du;
	r->aux2 = 0xdeadbeefu;
}

static void
t_record_eq(const struct record *a, const struct record *b)
{
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->kind, b->kind);
	ck_assert_uint_eq(a->reason, b->reason);
	ck_assert_uint_eq(a->probes, b->probes);
	ck_assert_uint_eq(a->job, b->job);
	ck_assert_uint_eq(a->count, b->count);
	ck_assert_uint_eq(a->rtt_us, b->rtt_us);
	ck_assert_uint_eq(a->aux, b->aux);
	ck_assert_uint_eq(a->aux2, b->aux2);
}

START_TEST(test_fnv_reference)
{
	/* the published FNV-1a 32 vectors keep t_fnv1a honest */
	ck_assert_uint_eq(t_fnv1a((const uint8_t *)"", 0), 0x811c9dc5u);
	ck_assert_uint_eq(t_fnv1a((const uint8_t *)"a", 1), 0xe40c292cu);
	ck_assert_uint_eq(t_fnv1a((const uint8_t *)"foobar", 6), 0xbf9cf968u);
}
END_TEST

START_TEST(test_layout)
{
	static const uint8_t want[28] = {
		0x49, 0x50, 2, RECORD_EVIDENCE, 0,
		REASON_RCVBUF_OVERFLOW, 0xfe, 0,
		0xc3, 0xb2, 0xa1, 0x80, 0x60, 0x7f, 0x8e, 0x9d,
		0x04, 0x03, 0x02, 0xf1, 0x0d, 0xf0, 0xad, 0x8b,
		0xef, 0xbe, 0xad, 0xde,
	};
	struct record r;
	uint8_t buf[RECORD_SIZE];
	uint32_t h;

	t_sample(&r, RECORD_EVIDENCE);
	memset(buf, 0x77, sizeof(buf));
	record_encode(&r, buf);
	ck_assert_mem_eq(buf, want, sizeof(want));
	h = t_fnv1a(want, sizeof(want));
	ck_assert_uint_eq(buf[28], h & 0xff);
	ck_assert_uint_eq(buf[29], (h >> 8) & 0xff);
	ck_assert_uint_eq(buf[30], (h >> 16) & 0xff);
	ck_assert_uint_eq(buf[31], h >> 24);
}
END_TEST

START_TEST(test_round_trip)
{
	/* _i is the record type */
	struct record r, got;
	uint8_t buf[RECORD_SIZE], again[RECORD_SIZE];

	t_sample(&r, (uint8_t)_i);
	record_encode(&r, buf);
	memset(&got, 0x5a, sizeof(got));
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	t_record_eq(&got, &r);
	record_encode(&got, again);
	ck_assert_mem_eq(again, buf, RECORD_SIZE);

	/* all-zero fields and all-ones fields survive too */
	memset(&r, 0, sizeof(r));
	r.type = (uint8_t)_i;
	r.reason = _i == RECORD_EVIDENCE ? REASON_NO_REPLY : 0;
	r.count = 1;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	t_record_eq(&got, &r);
	memset(&r, 0xff, sizeof(r));
	r.type = (uint8_t)_i;
	if (_i == RECORD_EVIDENCE) {
		r.kind = 0;
		r.reason = REASON_PHASE_FAILED;
	}
	if (_i == RECORD_STATS)
		r.kind = RECORD_LOSS_MAX - 1;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	t_record_eq(&got, &r);
}
END_TEST

START_TEST(test_bit_flips)
{
	/* _i is the record type; every one of the 256 bits is checked */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];
	unsigned bit;

	t_sample(&r, (uint8_t)_i);
	record_encode(&r, buf);
	for (bit = 0; bit < RECORD_SIZE * 8; bit++) {
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(record_decode(buf, sizeof(buf), &got) == -1,
		    "type %d: bit %u flipped and accepted", _i, bit);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
}
END_TEST

START_TEST(test_length)
{
	struct record r, got;
	uint8_t buf[2 * RECORD_SIZE];
	size_t len;

	t_sample(&r, RECORD_HEARTBEAT);
	memset(buf, 0, sizeof(buf));
	record_encode(&r, buf);
	for (len = 0; len <= sizeof(buf); len++)
		ck_assert_int_eq(record_decode(buf, len, &got),
		    len == RECORD_SIZE ? 0 : -1);
}
END_TEST

START_TEST(test_header_fields)
{
	/* refused by the field checks even with a correct check word */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];

	t_sample(&r, RECORD_STATS);
	record_encode(&r, buf);
	buf[0] = 0x50;
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	record_encode(&r, buf);
	buf[1] = 0x49;
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	record_encode(&r, buf);
	buf[2] = 1;   /* the version before evidence records */
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	record_encode(&r, buf);
	buf[2] = 3;
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	record_encode(&r, buf);
	buf[2] = 0;
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	record_encode(&r, buf);
	buf[7] = 0x80;
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	/* the control: resealing an untouched record changes nothing */
	record_encode(&r, buf);
	t_reseal(buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
}
END_TEST

START_TEST(test_check_word)
{
	/* a stale check word: the fields changed, the check did not */
	struct record r, got;
	uint8_t buf[RECORD_SIZE], old[4];

	t_sample(&r, RECORD_EVIDENCE);
	record_encode(&r, buf);
	memcpy(old, buf + 28, 4);
	r.reason = REASON_NO_REPLY;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	memcpy(buf + 28, old, 4);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	/* an all-zero record (a zeroed, never filled buffer) is refused */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
}
END_TEST

START_TEST(test_type)
{
	/* _i is the type byte, 0..255 */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];
	int ok = _i >= RECORD_JOB && _i < RECORD_TYPE_MAX;

	t_sample(&r, RECORD_EVIDENCE); /* valid as any of the types */
	r.type = (uint8_t)_i;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), ok ? 0 : -1);
}
END_TEST

START_TEST(test_evidence_kind)
{
	/* _i is the kind byte of an EVIDENCE record, 0..255: only 0 */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];

	t_sample(&r, RECORD_EVIDENCE);
	r.kind = (uint8_t)_i;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got),
	    _i == 0 ? 0 : -1);
}
END_TEST

/*
 * t_is_evidence -- the reasons a worker may send: in range, and not one
 * of the two that are no evidence (written out, not taken from
 * evidence.c, so that a class lost there shows here)
 */
static int
t_is_evidence(unsigned reason)
{
	return reason < REASON_MAX && reason != REASON_NONE &&
	    reason != REASON_SPECIAL;
}

START_TEST(test_evidence_reason)
{
	/* _i is the reason byte of an EVIDENCE record, 0..255 */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];
	int ok = t_is_evidence((unsigned)_i);

	t_sample(&r, RECORD_EVIDENCE);
	r.reason = (uint8_t)_i;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), ok ? 0 : -1);
	if (ok) {
		ck_assert_uint_eq(got.type, RECORD_EVIDENCE);
		ck_assert_uint_eq(got.reason, (unsigned)_i);
	}
}
END_TEST

START_TEST(test_stats_kind)
{
	/* _i is the kind byte of a STATS record, 0..255 */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];
	int ok = _i == RECORD_LOSS_ICMP || _i == RECORD_LOSS_ARP;

	t_sample(&r, RECORD_STATS);
	r.kind = (uint8_t)_i;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), ok ? 0 : -1);
	if (ok)
		ck_assert_uint_eq(got.kind, (unsigned)_i);
}
END_TEST

START_TEST(test_other_types_fields)
{
	/* kind and reason are not checked where they mean nothing, and
	 * they come through as they were */
	struct record r, got;
	uint8_t buf[RECORD_SIZE];

	t_sample(&r, RECORD_HEARTBEAT);
	r.kind = 200;
	r.reason = 201;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	ck_assert_uint_eq(got.kind, 200);
	ck_assert_uint_eq(got.reason, 201);
	t_sample(&r, RECORD_JOB);
	r.reason = REASON_NONE;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	/* a STATS record's reason is not evidence either */
	t_sample(&r, RECORD_STATS);
	r.reason = REASON_MAX;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	ck_assert_uint_eq(got.kind, RECORD_LOSS_ARP);
}
END_TEST

START_TEST(test_job_count)
{
	struct record r, got;
	uint8_t buf[RECORD_SIZE];

	t_sample(&r, RECORD_JOB);
	r.count = 0;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), -1);
	r.count = 1;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
	ck_assert_uint_eq(got.count, 1);
	/* count 0 is fine where it is not a job range */
	t_sample(&r, RECORD_STATS);
	r.count = 0;
	record_encode(&r, buf);
	ck_assert_int_eq(record_decode(buf, sizeof(buf), &got), 0);
}
END_TEST

Suite *
record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, test_fnv_reference);
	tcase_add_test(tc, test_layout);
	tcase_add_loop_test(tc, test_round_trip, RECORD_JOB, RECORD_TYPE_MAX);
	tcase_add_loop_test(tc, test_bit_flips, RECORD_JOB, RECORD_TYPE_MAX);
	tcase_add_test(tc, test_length);
	tcase_add_test(tc, test_header_fields);
	tcase_add_test(tc, test_check_word);
	tcase_add_loop_test(tc, test_type, 0, 256);
	tcase_add_loop_test(tc, test_evidence_kind, 0, 256);
	tcase_add_loop_test(tc, test_evidence_reason, 0, 256);
	tcase_add_loop_test(tc, test_stats_kind, 0, 256);
	tcase_add_test(tc, test_other_types_fields);
	tcase_add_test(tc, test_job_count);
	suite_add_tcase(s, tc);
	return s;
}
