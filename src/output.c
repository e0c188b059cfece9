/* output.c - write the verdicts in the format scripts and people asked for */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
	unsigned v = collector_verdict(c, j);

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
output_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (t != 0 && gmtime_r(&tt, &tm) != NULL)
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

const char *
output_evidence(const struct collector_entry *e, const char *text, char *buf,
    size_t len)
{
	char a[ADDR_STRLEN], t[32];

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
		if (e->aux == 0)
			snprintf(buf, len, "no reply to %u probe%s, but "
			    "ping(8) reported errors for other addresses of "
			    "its range", e->probes, e->probes == 1 ? "" : "s");
		else
			snprintf(buf, len, "no reply to %u probe%s, but the "
			    "path sent icmp type %u code %u (%s) for other "
			    "addresses of its range", e->probes,
			    e->probes == 1 ? "" : "s", e->aux >> 8,
			    e->aux & 0xff,
			    output_icmp_name(e->aux >> 8, e->aux & 0xff));
		break;
	case REASON_PHASE_FAILED:
		snprintf(buf, len, "a check that was asked for could not run");
		break;
	case REASON_HISTORY_SEEN:
		snprintf(buf, len, "silent now, but the history saw it used "
		    "at %s, within --free-for", output_time(e->aux, t,
		    sizeof(t)));
		break;
	case REASON_HISTORY_SHORT:
		snprintf(buf, len, "silent now, but the history does not "
		    "cover --free-for yet");
		break;
	case REASON_HISTORY_ERROR:
		snprintf(buf, len, "silent now, but the history could not be "
		    "read for --free-for");
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
	case REASON_RESERVED:
		snprintf(buf, len, "reserved in the configuration");
		break;
	case REASON_DHCP_POOL:
		snprintf(buf, len, "in a dynamic DHCP pool");
		break;
	case REASON_DHCP_LEASE:
		snprintf(buf, len, "DHCP lease%s%s", text ? ": " : "",
		    text ? text : "");
		break;
	case REASON_IPAM:
		snprintf(buf, len, "documented in the IPAM%s%s",
		    text && text[0] ? ": " : "", text ? text : "");
		break;
	case REASON_DNS_PTR:
		snprintf(buf, len, "PTR %s", text ? text : "?");
		break;
	case REASON_DNS_ERROR:
		snprintf(buf, len, "no reply to %u probe%s, and the reverse "
		    "lookup failed%s%s", e->probes, e->probes == 1 ? "" : "s",
		    text ? ": " : "", text ? text : "");
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

/* output_json_time -- T as a JSON string, or null */
static void
output_json_time(FILE *f, int64_t t)
{
	char buf[32];

	if (t == 0)
		fputs("null", f);
	else
		output_json_str(f, output_time(t, buf, sizeof(buf)));
}

/* output_change -- the --diff word of job H: "newly-used", ... */
static const char *
output_change(const struct history_brief *h)
{
	switch (h->change) {
	case HISTORY_NEWLY_USED:
		return "newly-used";
	case HISTORY_NEWLY_FREE:
		return "newly-free";
	default:
		return "";
	}
}

/* output_object -- one job as a JSON object (no line end) */
static void
output_object(FILE *f, const struct collector *c, size_t j, const char *range,
    const struct options *o, const struct history_brief *h)
{
	const struct collector_entry ent = collector_entry(c, j);
	const struct collector_entry *e = &ent;
	char a[ADDR_STRLEN], why[128], ev[384], rtt[32];

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
	output_json_str(f, output_evidence(e, collector_text(c, j), ev,
	    sizeof(ev)));
	if (h != NULL) {
		fputs(",\"last_seen\":", f);
		output_json_time(f, h->last_seen);
		fputs(",\"free_since\":", f);
		output_json_time(f, h->free_since);
		if (o->diff) {
			fputs(",\"change\":", f);
			output_json_str(f, output_change(h));
		}
	}
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

/* output_write_locked -- output_write() with F's lock held */
static int
output_write_locked(FILE *f, const struct options *o,
    const struct collector *c, const struct plan *p,
    const struct output_run *run)
{
	uint64_t left = o->first;
	size_t j, shown = 0;
	char a[ADDR_STRLEN], why[128], ev[384], rtt[32], t[32];
	const struct history_brief *hist = run != NULL ? run->hist : NULL;

	if (o->format == OPTIONS_FORMAT_CSV)
		fprintf(f, "address,range,verdict,reason,probes,rtt_ms,"
		    "evidence%s%s\n", hist != NULL ? ",last_seen,free_since" :
		    "", hist != NULL && o->diff ? ",change" : "");
	else if (o->format == OPTIONS_FORMAT_JSON)
		output_header(f, c, run);
	for (j = 0; j < c->n; j++) {
		const struct collector_entry ent = collector_entry(c, j);
		const struct collector_entry *e = &ent;
		const char *range = p != NULL && p->n_runs > 0 ?
		    p->ranges[plan_range_of(p, j)].name : "";

		const struct history_brief *h = hist != NULL ? &hist[j] :
		    NULL;

		if (o->diff ? h == NULL || h->change == HISTORY_SAME :
		    !output_select(o, c, j, &left))
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
			output_csv_str(f, output_evidence(e,
			    collector_text(c, j), ev, sizeof(ev)));
			if (h != NULL) {
				fprintf(f, ",%s", output_time(
				    h->last_seen, t, sizeof(t)));
				fprintf(f, ",%s", output_time(
				    h->free_since, t, sizeof(t)));
				if (o->diff)
					fprintf(f, ",%s", output_change(h));
			}
			putc('\n', f);
			break;
		case OPTIONS_FORMAT_JSON:
			if (shown > 0)
				putc(',', f);
			output_object(f, c, j, range, o, h);
			break;
		case OPTIONS_FORMAT_NDJSON:
			output_object(f, c, j, range, o, h);
			putc('\n', f);
			break;
		default:
			if (o->diff)
				putc(h->change == HISTORY_NEWLY_USED ? '+' :
				    '-', f);
			fputs(a, f);
			if (o->select == OPTIONS_SELECT_ALL)
				fprintf(f, "\t%s\t%s", verdict_name(e->verdict),
				    output_reason(e, why, sizeof(why)));
			/* what a record said: the lease's client, the name */
			if (o->select == OPTIONS_SELECT_ALL &&
			    collector_text(c, j) != NULL)
				fprintf(f, "\t%s", output_evidence(e,
				    collector_text(c, j), ev, sizeof(ev)));
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

/* output_history_object -- one address of --last-seen as a JSON object */
static void
output_history_object(FILE *f, const char *addr, const char *range,
    const struct history_row *m)
{
	fputs("{\"address\":", f);
	output_json_str(f, addr);
	fputs(",\"range\":", f);
	output_json_str(f, range);
	fputs(",\"last_seen\":", f);
	output_json_time(f, m->last_seen);
	fputs(",\"last_evidence\":", f);
	if (m->last_seen != 0)
		output_json_str(f, m->evidence);
	else
		fputs("null", f);
	fputs(",\"first_checked\":", f);
	output_json_time(f, m->first_checked);
	fputs(",\"last_checked\":", f);
	output_json_time(f, m->last_checked);
	fputs(",\"free_since\":", f);
	output_json_time(f, m->state == HISTORY_STATE_FREE ? m->state_since :
	    0);
	fputs(",\"mac\":", f);
	if (m->last_seen != 0 && m->mac[0] != '\0')
		output_json_str(f, m->mac);
	else
		fputs("null", f);
	putc('}', f);
}

int
output_write(FILE *f, const struct options *o, const struct collector *c,
    const struct plan *p, const struct output_run *run)
{
	int rc;

	/* one lock for the whole list, not one per fputs (a /12: 2 million) */
	flockfile(f);
	rc = output_write_locked(f, o, c, p, run);
	funlockfile(f);
	return rc;
}

int
output_history(FILE *f, const struct options *o, const struct plan *p,
    const uint32_t *addrs, size_t first, size_t n, size_t total,
    const struct history_job *jobs)
{
	char a[ADDR_STRLEN], ls[32], fc[32], lc[32], fs[32];
	size_t j;

	if (first == 0 && o->format == OPTIONS_FORMAT_CSV)
		fputs("address,range,last_seen,last_evidence,first_checked,"
		    "last_checked,free_since,mac\n", f);
	else if (first == 0 && o->format == OPTIONS_FORMAT_JSON)
		putc('[', f);
	for (j = first; j < first + n; j++) {
		const struct history_row *m = &jobs[j - first].merged;
		const char *range = p != NULL && p->n_runs > 0 ?
		    p->ranges[plan_range_of(p, j)].name : "";

		addr_format(addrs[j], a);
		output_time(m->last_seen, ls, sizeof(ls));
		output_time(m->first_checked, fc, sizeof(fc));
		output_time(m->last_checked, lc, sizeof(lc));
		output_time(m->state == HISTORY_STATE_FREE ? m->state_since :
		    0, fs, sizeof(fs));
		switch (o->format) {
		case OPTIONS_FORMAT_CSV:
			fprintf(f, "%s,", a);
			output_csv_str(f, range);
			fprintf(f, ",%s,%s,%s,%s,%s,%s\n", ls,
			    m->last_seen != 0 ? m->evidence : "", fc, lc, fs,
			    m->last_seen != 0 ? m->mac : "");
			break;
		case OPTIONS_FORMAT_JSON:
			if (j > 0)
				putc(',', f);
			output_history_object(f, a, range, m);
			break;
		case OPTIONS_FORMAT_NDJSON:
			output_history_object(f, a, range, m);
			putc('\n', f);
			break;
		default:
			fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\n", a,
			    ls[0] != '\0' ? ls : "-",
			    m->last_seen != 0 ? m->evidence : "-",
			    fc[0] != '\0' ? fc : "-", lc[0] != '\0' ? lc : "-",
			    m->last_seen != 0 && m->mac[0] != '\0' ? m->mac :
			    "-");
			break;
		}
		if (ferror(f))
			return -1;
	}
	if (first + n >= total && o->format == OPTIONS_FORMAT_JSON)
		fputs("]\n", f);
	return ferror(f) ? -1 : 0;
}

/* How many unknown addresses the summary lists one by one without -v. */
#define OUTPUT_UNKNOWN_SHOWN 20

/*
 * output_records -- the note on how many addresses records held back, by
 * reason: "3 held back by records: 1 reserved, 2 dhcp-lease"
 */
static void
output_records(const struct collector *c)
{
	static const uint8_t kinds[] = { REASON_RESERVED, REASON_DHCP_LEASE,
		REASON_DHCP_POOL, REASON_IPAM, REASON_DNS_PTR };
	size_t n[sizeof(kinds)], all = 0, j, k, len = 0;
	char line[256];

	memset(n, 0, sizeof(n));
	for (j = 0; j < c->n; j++)
		for (k = 0; k < sizeof(kinds); k++)
			if (collector_verdict(c, j) == VERDICT_USED &&
			    collector_reason(c, j) == kinds[k]) {
				n[k]++;
				all++;
			}
	if (all == 0)
		return;
	line[0] = '\0';
	for (k = 0; k < sizeof(kinds) && len < sizeof(line); k++)
		if (n[k] > 0)
			len += (size_t)snprintf(line + len, sizeof(line) - len,
			    "%s%zu %s", len > 0 ? ", " : "", n[k],
			    reason_name(kinds[k]));
	diag_note("%zu held back by records: %s", all, line);
}

void
output_summary(const struct collector *c, size_t n_skipped)
{
	char a[ADDR_STRLEN], why[128], ev[384], line[256];
	size_t j, shown = 0, late = 0, len;

	output_records(c);
	for (j = 0; j < c->n; j++) {
		const struct collector_entry ent = collector_entry(c, j);
		const struct collector_entry *e = &ent;

		late += e->late;
		/* -v: every used one; the unknown ones, 20 without -v */
		if (e->verdict == VERDICT_USED ? !diag_shown(DIAG_VERBOSE, 1) :
		    e->verdict != VERDICT_UNKNOWN ||
		    (shown++ >= OUTPUT_UNKNOWN_SHOWN &&
		    !diag_shown(DIAG_VERBOSE, 1)))
			continue;
		addr_format(c->addrs[j], a);
		output_evidence(e, collector_text(c, j), ev, sizeof(ev));
		if (e->verdict == VERDICT_USED) {
			if (e->rtt_us > 0)
				diag_verbose(1, "%s: used (%s, %u.%03u ms)", a,
				    ev, e->rtt_us / 1000, e->rtt_us % 1000);
			else
				diag_verbose(1, "%s: used (%s)", a, ev);
			continue;
		}
		output_reason(e, why, sizeof(why));
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
