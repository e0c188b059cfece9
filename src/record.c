/* record.c - encode and check the fixed-size parent/worker pipe records */
#include <string.h>

#include "record.h"
#include "evidence.h"

/*
 * Layout, all little-endian:
 *   0-1 magic 'I' 'P'   2 version   3 type   4 kind   5 reason
 *   6 probes   7 zero   8 job   12 count   16 rtt_us   20 aux   24 aux2
 *   28 FNV-1a 32 of bytes 0-27
 * The check word makes a torn, stale or garbage record (a worker that died
 * halfway, memory scribbled before the write) fail loudly instead of
 * decoding into plausible evidence.
 */
#define RECORD_MAGIC0 0x49
#define RECORD_MAGIC1 0x50
#define RECORD_VERSION 2
#define RECORD_CHECK_OFF 28

#define RECORD_FNV_OFFSET 2166136261u
#define RECORD_FNV_PRIME 16777619u

static void
record_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t
record_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/*
 * record_fnv1a -- FNV-1a 32 of LEN bytes.  Each step is a bijection of the
 * state (xor a byte, multiply by an odd prime mod 2^32), so any change to a
 * single byte of the input changes the result.
 */
static uint32_t
record_fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = RECORD_FNV_OFFSET;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= RECORD_FNV_PRIME;
	}
	return h;
}

void
record_encode(const struct record *r, uint8_t buf[RECORD_SIZE])
{
	memset(buf, 0, RECORD_SIZE);
	buf[0] = RECORD_MAGIC0;
	buf[1] = RECORD_MAGIC1;
	buf[2] = RECORD_VERSION;
	buf[3] = r->type;
	buf[4] = r->kind;
	buf[5] = r->reason;
	buf[6] = r->probes;
	buf[7] = 0;
	record_put32(buf + 8, r->job);
	record_put32(buf + 12, r->count);
	record_put32(buf + 16, r->rtt_us);
	record_put32(buf + 20, r->aux);
	record_put32(buf + 24, r->aux2);
	record_put32(buf + RECORD_CHECK_OFF,
	    record_fnv1a(buf, RECORD_CHECK_OFF));
}

int
record_decode(const uint8_t *buf, size_t len, struct record *r)
{
	memset(r, 0, sizeof(*r));
	if (len != RECORD_SIZE)
		return -1;
	if (buf[0] != RECORD_MAGIC0 || buf[1] != RECORD_MAGIC1 ||
	    buf[2] != RECORD_VERSION || buf[7] != 0)
		return -1;
	if (record_get32(buf + RECORD_CHECK_OFF) !=
	    record_fnv1a(buf, RECORD_CHECK_OFF))
		return -1;
	if (buf[3] == 0 || buf[3] >= RECORD_TYPE_MAX)
		return -1;
	if (buf[3] == RECORD_EVIDENCE &&
	    (buf[4] != 0 || evidence_class(buf[5]) == EVIDENCE_NONE))
		return -1;
	if (buf[3] == RECORD_STATS && buf[4] >= RECORD_LOSS_MAX)
		return -1;
	if (buf[3] == RECORD_JOB && record_get32(buf + 12) == 0)
		return -1;
	r->type = buf[3];
	r->kind = buf[4];
	r->reason = buf[5];
	r->probes = buf[6];
	r->job = record_get32(buf + 8);
	r->count = record_get32(buf + 12);
	r->rtt_us = record_get32(buf + 16);
	r->aux = record_get32(buf + 20);
	r->aux2 = record_get32(buf + 24);
	return 0;
}
