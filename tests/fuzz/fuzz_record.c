/* fuzz_record.c - libFuzzer harness for the pipe record decoder */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "record.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A record the decoder accepts must be exactly what the encoder makes of
 * the decoded fields: then no two byte strings decode to the same record,
 * and nothing the decoder accepts was ignored on the way in.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record r;
	uint8_t again[RECORD_SIZE];

	if (record_decode(data, size, &r) != 0)
		return 0;
	if (size != RECORD_SIZE || r.type == 0 || r.type >= RECORD_TYPE_MAX)
		abort();
	/* evidence a worker sends: of a class, with no kind */
	if (r.type == RECORD_EVIDENCE &&
	    (r.kind != 0 || r.reason >= REASON_MAX ||
		evidence_class(r.reason) == EVIDENCE_NONE))
		abort();
	if (r.type == RECORD_STATS && r.kind >= RECORD_LOSS_MAX)
		abort();
	if (r.type == RECORD_JOB && r.count == 0)
		abort();
	record_encode(&r, again);
	if (memcmp(again, data, RECORD_SIZE) != 0)
		abort();
	return 0;
}
