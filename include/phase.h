/* phase.h - the phases of a run besides the wire sweep: canaries and TCP */
#ifndef IPSWEEP_PHASE_H
#define IPSWEEP_PHASE_H

#include <stddef.h>
#include <stdint.h>

#include "collector.h"
#include "engine.h"
#include "options.h"
#include "plan.h"
#include "pool.h"
#include "tcp.h"

/*
 * The canary phase: before the sweep, the canaries of every range that
 * has some are probed with the same engine; their answers then speak for
 * the whole range.
 */
struct phase_canaries {
	uint32_t *addrs;           /* the canaries, ascending (owned) */
	struct collector c;        /* their evidence */
	int finished;              /* 1: their run ended without a stop */
};

/*
 * phase_needs -- what each job of C needs besides the wire phase: the
 * canary phase in a range of P with canaries, the TCP phase when the range
 * it belongs to (its first) has ports.
 */
void phase_needs(const struct plan *p, struct collector *c);

/*
 * phase_path_report -- after the wire phase: in a range where the path
 * answered some routed address with an ICMP error that says the path is
 * broken (net unreachable, net prohibited, time exceeded, a host
 * unreachable too soon to be the last hop's, ...; not a filter that
 * prohibits one host), the silent routed addresses are unknown
 * (range-icmp-errors), not free:
 * routers send such errors at about one a second to one host, so the rest
 * of the range may have been stopped just the same without a word.
 * ONLINK (job -> nonzero when on a connected subnet; may be NULL) leaves
 * on-link addresses alone: no router is on their path.  UNSEEN: the engine
 * can lose ICMP errors without knowing (ping(8): each ping's raw socket
 * gets every error of the sweep, and one that falls behind drops some):
 * then any error that left an address unknown (a filter's for one host,
 * ping(8)'s unnamed ones) speaks for the range too, since the same error
 * for a silent neighbour may have been lost.  Warns the user of each range
 * held back.
 */
void phase_path_report(const struct plan *p, struct collector *c,
    const uint8_t *onlink, int unseen);

/*
 * phase_canaries_run -- probe the canaries of P with engine E under BASE's
 * stop flag and deadline; fills PC (phase_canaries_free() releases it,
 * also on failure).  Returns the number of canaries (0: none), or -1 with
 * ERR set on a system error.
 */
long phase_canaries_run(struct phase_canaries *pc, const struct options *o,
    const struct plan *p, struct engine *e, const struct pool_params *base,
    char *err, size_t errlen);

/*
 * phase_canaries_report -- the canary phase's word on each job of C in a
 * range with canaries: silent (canary-answered) when one of that range's
 * canaries answered, cannot tell (canary-silent) when none did.  Nothing
 * when their run did not finish: those jobs stay undecided.  Warns the
 * user of each range held back.
 */
void phase_canaries_report(const struct phase_canaries *pc,
    const struct plan *p, struct collector *c);

void phase_canaries_free(struct phase_canaries *pc);

/*
 * phase_tcp -- the TCP phase: the ports of each range tried on its jobs
 * that may still be free (collector_candidate()), TIMEOUT_MS per
 * connection, until STOP says (a signal, the deadline; NULL: no limit);
 * what each attempt learnt goes to C.  Jobs it did not finish get no word
 * from it, so they cannot be free.  Returns 0, or -1 with errno (EINTR for
 * a signal, ETIMEDOUT for the deadline, else with ERR set).
 */
int phase_tcp(const struct plan *p, struct collector *c,
    unsigned timeout_ms, const struct tcp_stop *stop, char *err,
    size_t errlen);

/*
 * phase_dns -- the reverse lookups: the PTR name of every job of a range
 * that asks for them (plan_range.dns) and that may still end free, at
 * most PHASE_DNS_INFLIGHT at once, through O's --dns-server or the
 * system's resolvers, each try waiting O's timeout.  A name makes the
 * job used (dns-ptr), NXDOMAIN leaves it free (dns-nxdomain), a failure
 * makes it unknown (dns-error); what STOP cut short stays undecided, for
 * collector_finish().  Returns 0, or -1 with ERR when c-ares could not
 * start (every job it had to check is then unknown too).
 */
int phase_dns(const struct plan *p, struct collector *c,
    const struct options *o, const struct tcp_stop *stop, char *err,
    size_t errlen);

#endif
