/* output.c - write the verdicts in the format scripts and people asked for */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "diag.h"
#include "output.h"
#include "probe_exec.h"

#ifndef IPSWEEP_VERSION
#define IPSWEEP_VERSION "unknown"
#endif

int
output_select(const struct options *o, const struct collector *c, size_t j,
    uint64_t *first_left)
{
	unsigned v = c->e[j].verdict;

	switch (o->select) {
	case OPTIONS_SELECT_ALL:
		return 1;
	case OPTIONS_SELECT_USED:
		return v == VERDICT_USED;
	default:
		if (v != VERDICT_FREE)
			return 0;
		if (o->first == 0)
			return 1;
		if (*first_left == 0)
			return 0;
		(*first_left)--;
		return 1;
	}
}

const char *
output_reason(const struct collector_entry *e, char *buf, size_t len)
{
	if (e->reason == REASON_SEND_ERROR)
		snprintf(buf, len, "send-error: %s", strerror((int)e->aux));
	else
		snprintf(buf, len, "%s", reason_name(e->reason));
	return buf;
}

/*
 * output_icmp_name -- a few words for an ICMP error: what a router or a
 * filter meant by it
 */
static const char *
output_icmp_name(unsigned type, unsigned code)
{
	static const char *const unreach[16] = {
		"net unreachable", "host unreachable", "protocol unreachable",
		"port unreachable", "fragmentation needed",
		"source route failed", "net unknown", "host unknown",
		"source host isolated", "net prohibited", "host prohibited",
		"net unreachable for TOS", "host unreachable for TOS",
		"communication prohibited", "host precedence violation",
		"precedence cutoff",
	};

	switch (type) {
	case 3:
		return code < 16 ? unreach[code] : "unreachable";
	case 4:
		return "source quench";
	case 5:
		return "redirect";
	case 11:
		return "time exceeded";
	case 12:
		return "parameter problem";
	default:
		return "error";
	}
}

const char *
output_evidence(const struct collector_entry *e, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	switch (e->reason) {
	case REASON_ECHO_REPLY:
		if (e->probes == 0)   /* it answered a probe to another address */
			snprintf(buf, len, "%secho reply", e->late ? "late " : "");
		else
			snprintf(buf, len, "%secho reply after %u probe%s",
			    e->late ? "late " : "", e->probes,
			    e->probes == 1 ? "" : "s");
		break;
	case REASON_NO_REPLY:
		snprintf(buf, len, "no reply to %u probe%s", e->probes,
		    e->probes == 1 ? "" : "s");
		break;
	case REASON_HOST_UNREACH:
		snprintf(buf, len, "no reply to %u probe%s, host unreachable",
		    e->probes, e->probes == 1 ? "" : "s");
		break;
	case REASON_ADMIN_PROHIBITED:
	case REASON_ICMP_ERROR:
		if (e->aux == 0)
			snprintf(buf, len, "an ICMP error");
		else
			snprintf(buf, len, "icmp type %u code %u (%s)",
			    e->aux >> 8, e->aux & 0xff,
			    output_icmp_name(e->aux >> 8, e->aux & 0xff));
		break;
	case REASON_ICMP_FROM_TARGET:
		snprintf(buf, len, "it sent icmp type %u code %u itself",
		    e->aux >> 8, e->aux & 0xff);
		break;
	case REASON_TCP_SILENT:
		snprintf(buf, len, "no reply to %u probe%s, no TCP answer",
		    e->probes, e->probes == 1 ? "" : "s");
		break;
	case REASON_TCP_ERROR:
		snprintf(buf, len, "no echo reply, and the TCP check failed "
		    "here");
		break;
	case REASON_LOSS_TOO_HIGH:
		snprintf(buf, len, "no reply to %u probe%s, but the loss "
		    "measured needs more than --max-count", e->probes,
		    e->probes == 1 ? "" : "s");
		break;
	case REASON_NEIGH_INCOMPLETE:
		snprintf(buf, len, "the kernel was still asking ARP for it");
		break;
	case REASON_PING_ERRORS:
		snprintf(buf, len, "ping(8) reported errors, not silence");
		break;
	case REASON_RANGE_ERRORS:
		snprintf(buf, len, "no reply to %u probe%s, but the path sent "
		    "icmp type %u code %u (%s) for other addresses of its "
		    "range", e->probes, e->probes == 1 ? "" : "s",
		    e->aux >> 8, e->aux & 0xff,
		    output_icmp_name(e->aux >> 8, e->aux & 0xff));
		break;
	case REASON_PHASE_FAILED:
		snprintf(buf, len, "a check that was asked for could not run");
		break;
	case REASON_TCP_ACCEPT:
		snprintf(buf, len, "no echo reply, but a TCP port accepted a "
		    "connection");
		break;
	case REASON_TCP_REFUSED:
		snprintf(buf, len, "no echo reply, but a TCP port refused a "
		    "connection (the host is there)");
		break;
	case REASON_CANARY_SILENT:
		snprintf(buf, len, "no reply to %u probe%s, and no canary of "
		    "its range answered", e->probes, e->probes == 1 ? "" : "s");
		break;
	case REASON_ARP_REPLY:
		snprintf(buf, len, "it answered ARP%s", e->rtt_us > 0 ? "" :
		    " (the neighbour table holds its link-layer address)");
		break;
	case REASON_OTHER_SOURCE:
		snprintf(buf, len, "answered by %s", addr_format(e->aux, a));
		break;
	case REASON_EXEC_ERROR:
		if (e->aux & PROBE_EXEC_NOT_STARTED)
			snprintf(buf, len, "ping(8) could not be started: %s",
			    strerror((int)(e->aux & 0xffffu)));
		else
			snprintf(buf, len, "ping(8) wait status %u", e->aux);
		break;
	default:
		snprintf(buf, len, "%s", reason_name(e->reason));
		break;
	}
	return buf;
}

/* output_json_str -- S as a JSON string: quotes, escapes, \u00XX */
static void
output_json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			putc(ch, f);
	}
	putc('"', f);
}

/* output_csv_str -- S as a CSV field (RFC 4180): quoted when it must be */
static void
output_csv_str(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

/* output_rtt -- the round trip in ms into BUF, or "" when there is none */
static const char *
output_rtt(const struct collector_entry *e, char *buf, size_t len)
{
	if (e->verdict == VERDICT_USED && e->rtt_us > 0)
		snprintf(buf, len, "%u.%03u", e->rtt_us / 1000,
		    e->rtt_us % 1000);
	else
		buf[0] = '\0';
	return buf;
}

/* output_object -- one job as a JSON object (no line end) */
static void
output_object(FILE *f, const struct collector *c, size_t j, const char *range)
{
	const struct collector_entry *e = &c->e[j];
	char a[ADDR_STRLEN], why[128], ev[128], rtt[32];

	fputs("{\"address\":", f);
	output_json_str(f, addr_format(c->addrs[j], a));
	fputs(",\"range\":", f);
	output_json_str(f, range);
	fputs(",\"verdict\":", f);
	output_json_str(f, verdict_name(e->verdict));
	fputs(",\"reason\":", f);
	output_json_str(f, output_reason(e, why, sizeof(why)));
	fprintf(f, ",\"probes\":%u,\"rtt_ms\":", e->probes);
	output_rtt(e, rtt, sizeof(rtt));
	fputs(rtt[0] != '\0' ? rtt : "null", f);
	fputs(",\"evidence\":", f);
	output_json_str(f, output_evidence(e, ev, sizeof(ev)));
	putc('}', f);
}

/* output_header -- the json document's run header, up to "addresses" */
static void
output_header(FILE *f, const struct collector *c, const struct output_run *r)
{
	char when[32];
	struct tm tm;

	gmtime_r(&r->start, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "{\"version\":\"%s\",\"start\":\"%s\","
	    "\"duration_s\":%.3f,\"method\":", IPSWEEP_VERSION, when,
	    r->duration_s);
	output_json_str(f, r->method);
	fprintf(f, ",\"settings\":{\"jobs\":%u,\"count\":%u,\"timeout_ms\":%u,"
	    "\"rate_pps\":%u},\"partial\":%s,", r->jobs, r->count,
	    r->timeout_ms, r->rate_pps, r->partial ? "true" : "false");
	fprintf(f, "\"counts\":{\"total\":%zu,\"free\":%zu,\"used\":%zu,"
	    "\"unknown\":%zu,\"not_needed\":%zu,\"skipped\":%zu},"
	    "\"addresses\":[", c->n + r->n_skipped, c->counts[VERDICT_FREE],
	    c->counts[VERDICT_USED], c->counts[VERDICT_UNKNOWN],
	    c->counts[VERDICT_NOT_NEEDED], r->n_skipped);
}

int
output_write(FILE *f, const struct options *o, const struct collector *c,
    const struct plan *p, const struct output_run *run)
{
	uint64_t left = o->first;
	size_t j, shown = 0;
	char a[ADDR_STRLEN], why[128], ev[128], rtt[32];

	if (o->format == OPTIONS_FORMAT_CSV)
		fputs("address,range,verdict,reason,probes,rtt_ms,evidence\n",
		    f);
	else if (o->format == OPTIONS_FORMAT_JSON)
		output_header(f, c, run);
	for (j = 0; j < c->n; j++) {
		const struct collector_entry *e = &c->e[j];
		const char *range = p != NULL && p->range_of != NULL ?
		    p->ranges[p->range_of[j]].name : "";

		if (!output_select(o, c, j, &left))
			continue;
		addr_format(c->addrs[j], a);
		switch (o->format) {
		case OPTIONS_FORMAT_CSV:
			fprintf(f, "%s,", a);
			output_csv_str(f, range);
			fprintf(f, ",%s,", verdict_name(e->verdict));
			output_csv_str(f, output_reason(e, why, sizeof(why)));
			fprintf(f, ",%u,%s,", e->probes,
			    output_rtt(e, rtt, sizeof(rtt)));
			output_csv_str(f, output_evidence(e, ev, sizeof(ev)));
			putc('\n', f);
			break;
		case OPTIONS_FORMAT_JSON:
			if (shown > 0)
				putc(',', f);
			output_object(f, c, j, range);
			break;
		case OPTIONS_FORMAT_NDJSON:
			output_object(f, c, j, range);
			putc('\n', f);
			break;
		default:
			fputs(a, f);
			if (o->select == OPTIONS_SELECT_ALL)
				fprintf(f, "\t%s\t%s", verdict_name(e->verdict),
				    output_reason(e, why, sizeof(why)));
			putc(o->null ? '\0' : '\n', f);
			break;
		}
		shown++;
		if (ferror(f))
			return -1;
	}
	if (o->format == OPTIONS_FORMAT_JSON)
		fputs("]}\n", f);
	return ferror(f) ? -1 : 0;
}

/* How many unknown addresses the summary lists one by one without -v. */
#define OUTPUT_UNKNOWN_SHOWN 20

void
output_summary(const struct collector *c, size_t n_skipped)
{
	char a[ADDR_STRLEN], why[128], ev[128], line[256];
	size_t j, shown = 0, late = 0, len;

	for (j = 0; j < c->n; j++) {
		const struct collector_entry *e = &c->e[j];

		late += e->late;
		addr_format(c->addrs[j], a);
		if (e->verdict == VERDICT_USED &&
		    diag_shown(DIAG_VERBOSE, 1)) {
			if (e->rtt_us > 0)
				diag_verbose(1, "%s: used (%s, %u.%03u ms)", a,
				    output_evidence(e, ev, sizeof(ev)),
				    e->rtt_us / 1000, e->rtt_us % 1000);
			else
				diag_verbose(1, "%s: used (%s)", a,
				    output_evidence(e, ev, sizeof(ev)));
		}
		if (e->verdict != VERDICT_UNKNOWN)
			continue;
		if (shown++ >= OUTPUT_UNKNOWN_SHOWN &&
		    !diag_shown(DIAG_VERBOSE, 1))
			continue;
		output_reason(e, why, sizeof(why));
		output_evidence(e, ev, sizeof(ev));
		if (strncmp(why, ev, strlen(ev)) == 0)
			diag_note("%s: unknown (%s)", a, why);
		else
			diag_note("%s: unknown (%s; %s)", a, why, ev);
	}
	if (shown > OUTPUT_UNKNOWN_SHOWN && !diag_shown(DIAG_VERBOSE, 1))
		diag_note("... and %zu more unknown (-v lists them all)",
		    shown - OUTPUT_UNKNOWN_SHOWN);
	if (late > 0)
		diag_note("%zu late repl%s turned free into used", late,
		    late == 1 ? "y" : "ies");
	len = (size_t)snprintf(line, sizeof(line), "%zu addresses: %zu free, "
	    "%zu used, %zu unknown", c->n + n_skipped,
	    c->counts[VERDICT_FREE], c->counts[VERDICT_USED],
	    c->counts[VERDICT_UNKNOWN]);
	if (c->counts[VERDICT_NOT_NEEDED] > 0 && len < sizeof(line))
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    ", %zu not needed", c->counts[VERDICT_NOT_NEEDED]);
	if (n_skipped > 0 && len < sizeof(line))
		snprintf(line + len, sizeof(line) - len, ", %zu skipped",
		    n_skipped);
	diag_note("%s", line);
}

void
output_loss(const struct pool_stats *st)
{
	uint64_t h = st->hits[RECORD_LOSS_ICMP], m = st->misses[RECORD_LOSS_ICMP];

	if (m > 0)
		diag_note("loss %.1f%% measured on %llu answering addresses; "
		    "silent addresses got up to %u probes",
		    100.0 * (double)m / (double)(m + h), (unsigned long long)h,
		    st->most[RECORD_LOSS_ICMP]);
	/* ARP is stated whenever some address answered it, lossless or not:
	   on a segment its loss is what makes silence weak */
	h = st->hits[RECORD_LOSS_ARP];
	m = st->misses[RECORD_LOSS_ARP];
	if (h > 0)
		diag_note("ARP loss %.1f%% measured on %llu answering addresses; "
		    "silent addresses were asked up to %u times",
		    100.0 * (double)m / (double)(m + h), (unsigned long long)h,
		    st->most[RECORD_LOSS_ARP]);
}
