/* fuzz_icmp.c - libFuzzer harness for the ICMP reply and error decoders */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "icmp.h"

/*
 * The seeds in corpus/icmp were built with this cookie and id, so that
 * the fuzzer starts from packets that get past the cookie check.  An input
 * is also handed to the error-queue decoder with its first two bytes as
 * the ICMP type and code.
 */
#define FUZZ_COOKIE 0x0123456789abcdefULL
#define FUZZ_ID 0xbeef

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_zero -- abort unless a refused packet left *EV all zero */
static void
fuzz_zero(const struct icmp_event *ev)
{
	if (ev->kind != 0 || ev->type != 0 || ev->code != 0 ||
	    ev->from != 0 || ev->dst != 0 || ev->id != 0 || ev->seq != 0 ||
	    ev->have_payload != 0 || ev->job != 0 || ev->probe != 0 ||
	    ev->sent_ns != 0)
		abort();
}

/* fuzz_sane -- abort unless an accepted event is self-consistent */
static void
fuzz_sane(const struct icmp_event *ev)
{
	if (ev->kind < ICMP_EV_ECHO_REPLY || ev->kind >= ICMP_EV_MAX)
		abort();
	if ((ev->kind == ICMP_EV_ECHO_REPLY) != (ev->type == 0))
		abort();
	if (ev->have_payload != 0 && ev->have_payload != 1)
		abort();
	if (ev->kind == ICMP_EV_ECHO_REPLY && !ev->have_payload)
		abort();
	if (!ev->have_payload &&
	    (ev->job != 0 || ev->probe != 0 || ev->sent_ns != 0))
		abort();
}

static int
fuzz_same(const struct icmp_event *a, const struct icmp_event *b)
{
	return a->kind == b->kind && a->type == b->type &&
	    a->code == b->code && a->from == b->from && a->dst == b->dst &&
	    a->id == b->id && a->seq == b->seq &&
	    a->have_payload == b->have_payload && a->job == b->job &&
	    a->probe == b->probe && a->sent_ns == b->sent_ns;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct icmp_event any, ours, dgram, eq;
	size_t hl, end;
	int rc_any, rc_ours, rc;

	memset(&any, 0x5a, sizeof(any));
	memset(&ours, 0x5a, sizeof(ours));
	rc_any = icmp_parse_ip(data, size, FUZZ_COOKIE, 0, 0, &any);
	rc_ours = icmp_parse_ip(data, size, FUZZ_COOKIE, 1, FUZZ_ID, &ours);
	if (rc_any != 0)
		fuzz_zero(&any);
	else
		fuzz_sane(&any);
	if (rc_ours != 0) {
		fuzz_zero(&ours);
	} else {
		/* the id check only ever narrows what is accepted */
		if (rc_any != 0 || !fuzz_same(&any, &ours) ||
		    ours.id != FUZZ_ID)
			abort();
	}

	/* an accepted packet decodes the same from its ICMP part alone */
	if (rc_any == 0) {
		hl = (size_t)(data[0] & 0x0f) * 4;
		end = (size_t)data[2] << 8 | data[3];
		if (end > size)
			end = size;
		rc = icmp_parse_icmp(data + hl, end - hl, any.from,
		    FUZZ_COOKIE, &dgram);
		if (rc != 0 || !fuzz_same(&any, &dgram))
			abort();
	}

	memset(&dgram, 0x5a, sizeof(dgram));
	rc = icmp_parse_icmp(data, size, 0x0a000002u, FUZZ_COOKIE, &dgram);
	if (rc != 0)
		fuzz_zero(&dgram);
	else
		fuzz_sane(&dgram);

	if (size >= 2) {
		memset(&eq, 0x5a, sizeof(eq));
		rc = icmp_parse_errqueue(data + 2, size - 2, data[0], data[1],
		    0xc0a80101u, 0x0a000003u, FUZZ_COOKIE, &eq);
		if (rc != 0) {
			fuzz_zero(&eq);
		} else {
			fuzz_sane(&eq);
			if (eq.kind == ICMP_EV_ECHO_REPLY ||
			    eq.from != 0xc0a80101u || eq.dst != 0x0a000003u)
				abort();
		}
	}
	return 0;
}
