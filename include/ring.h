/* ring.h - a FIFO of jobs with due times: the native engine's timers */
#ifndef IPSWEEP_RING_H
#define IPSWEEP_RING_H

#include <stddef.h>
#include <stdint.h>

/*
 * A growable circular queue of (job, due) pairs.  The engine pushes due
 * times in order (each ring holds one kind of timer, all with the same
 * delay), so the head is always the first one due.  Zeroed is empty.
 */
struct ring {
	uint32_t *job;
	uint64_t *due;
	size_t cap, head, len;
};

/* ring_push -- append JOB due at DUE; 0, or -1 on ENOMEM (R unchanged) */
int ring_push(struct ring *r, uint32_t job, uint64_t due);

/* ring_due -- 1 when R is not empty and its head is due at NOW */
int ring_due(const struct ring *r, uint64_t now);

/* ring_head, ring_head_due -- the head's job and due time (R not empty) */
uint32_t ring_head(const struct ring *r);
uint64_t ring_head_due(const struct ring *r);

/* ring_at -- the job I places behind the head (I < R's length) */
uint32_t ring_at(const struct ring *r, size_t i);

/* ring_pop -- remove the head and return its job (R not empty) */
uint32_t ring_pop(struct ring *r);

/* ring_free -- release the storage; R is empty (zeroed) afterwards */
void ring_free(struct ring *r);

/*
 * A FIFO of runs of consecutive jobs, (first, count), kept in a ring (its
 * due time holds the count): the chunks a worker holds and has not begun,
 * a few bytes a chunk where a ring of jobs takes twelve a job.
 */
int ring_push_run(struct ring *r, uint32_t first, uint32_t count);

/* ring_pop_run -- the next job of R's first run into *JOB: 1, or 0 empty */
int ring_pop_run(struct ring *r, uint32_t *job);

#endif
