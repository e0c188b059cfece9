/* check_records.c - records as evidence: reservations, pools, leases, IPAM */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "collector.h"
#include "config.h"
#include "options.h"
#include "output.h"
#include "plan.h"
#include "records.h"
#include "testutil.h"

Suite *records_suite(void);

/* "now": 2026-11-28 12:00:00 UTC */
#define T_NOW 1795867200LL

/* A directory with the files of one case, a configuration, a plan. */
struct fix {
	char dir[64];
	char argbuf[256];
	struct options o;
	struct config cfg;
	struct plan p;
	struct collector c;
	struct records r;
	char err[512];
};

/* fix_file -- write TEXT to DIR/NAME */
static void
fix_file(struct fix *f, const char *name, const char *text)
{
	char path[160];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/*
 * fix_setup -- the files and the configuration CONF (in DIR, so that its
 * relative names point there), the plan for ARGS and its collector
 */
static void
fix_setup(struct fix *f, const char *conf, const char *args)
{
	char path[160];
	size_t bad;

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/check_records.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	fix_file(f, "dhcpd.leases",
	    "lease 10.5.0.20 { ends 0 2026/11/29 12:00:00; binding state "
	    "active; client-hostname \"pc20\"; hardware ethernet "
	    "52:54:00:00:00:20; }\n"
	    "lease 10.5.0.21 { ends 2 2026/11/24 12:00:00; binding state "
	    "active; }\n"
	    "lease 10.5.1.5 { ends never; }\n");
	fix_file(f, "dnsmasq.leases", "0 aa:bb:cc:dd:ee:ff 10.5.0.30 * *\n"
	    "0 aa:bb:cc:dd:ee:fe 10.5.9.9 lit *\n");
	fix_file(f, "ipam.csv", "address,status,dns_name\n"
	    "10.5.0.40/24,active,gw.example\n10.5.0.41/24,deprecated,x\n"
	    "10.5.0.20/24,active,ipam-twenty\n");
	fix_file(f, "bad.leases", "lease 10.5.0.1 {\n");
	snprintf(path, sizeof(path), "%s/ranges.conf", f->dir);
	ck_assert_msg(config_parse(&f->cfg, path, conf, strlen(conf), f->err,
	    sizeof(f->err)) == 0, "%s", f->err);
	tu_options(&f->o, f->argbuf, sizeof(f->argbuf), args);
	ck_assert_msg(plan_build(&f->p, &f->o, &f->cfg, &bad, f->err,
	    sizeof(f->err)) == PLAN_OK, "%s", f->err);
	ck_assert_int_eq(collector_init(&f->c, f->p.addrs, f->p.n), 0);
}

static void
fix_teardown(struct fix *f)
{
	char cmd[128];

	records_free(&f->r);
	collector_free(&f->c);
	plan_free(&f->p);
	config_free(&f->cfg);
	options_free(&f->o);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* fix_index -- the job of ADDR (dotted quad) */
static size_t
fix_index(const struct fix *f, const char *addr)
{
	uint32_t a;
	size_t j;

	ck_assert_int_eq(addr_parse(addr, strlen(addr), &a), 0);
	for (j = 0; j < f->c.n; j++)
		if (f->c.addrs[j] == a)
			return j;
	ck_abort_msg("%s is no job", addr);
	return 0;
}

/* fix_job -- the collector entry of ADDR (dotted quad) */
static struct collector_entry
fix_job(const struct fix *f, const char *addr)
{
	return collector_entry(&f->c, fix_index(f, addr));
}

/* fix_text -- what a record said of ADDR, or NULL */
static const char *
fix_text(const struct fix *f, const char *addr)
{
	return collector_text(&f->c, fix_index(f, addr));
}

static const char conf_main[] =
    "dhcp-leases = dnsmasq:dnsmasq.leases\n"
    "[a]\n"
    "range = 10.5.0.1-10.5.0.50\n"
    "reserved = 10.5.0.2, 10.5.0.8/30\n"
    "dhcp-pool = 10.5.0.45-10.5.0.50\n"
    "dhcp-leases = dhcpd.leases\n"
    "ipam-csv = ipam.csv\n"
    "[b]\n"
    "range = 10.5.1.1-10.5.1.10\n";

/* Every source, each address with the reason and words it should have. */
START_TEST(test_report)
{
	static const struct {
		const char *addr;
		unsigned verdict, reason;
		const char *evidence;
	} want[] = {
		{ "10.5.0.1", VERDICT_PENDING, REASON_NONE, NULL },
		{ "10.5.0.2", VERDICT_USED, REASON_RESERVED,
		    "reserved in the configuration" },
		{ "10.5.0.8", VERDICT_USED, REASON_RESERVED, NULL },
		{ "10.5.0.11", VERDICT_USED, REASON_RESERVED, NULL },
		{ "10.5.0.12", VERDICT_PENDING, REASON_NONE, NULL },
		{ "10.5.0.20", VERDICT_USED, REASON_DHCP_LEASE, "DHCP lease: "
		    "pc20 (52:54:00:00:00:20), ends 2026-11-29 12:00:00 UTC" },
		{ "10.5.0.21", VERDICT_PENDING, REASON_NONE, NULL },
		{ "10.5.0.30", VERDICT_USED, REASON_DHCP_LEASE,
		    "DHCP lease: aa:bb:cc:dd:ee:ff, never ends" },
		{ "10.5.0.40", VERDICT_USED, REASON_IPAM, "documented in the "
		    "IPAM: gw.example status active" },
		{ "10.5.0.41", VERDICT_PENDING, REASON_NONE, NULL },
		{ "10.5.0.45", VERDICT_USED, REASON_DHCP_POOL,
		    "in a dynamic DHCP pool" },
		{ "10.5.0.50", VERDICT_USED, REASON_DHCP_POOL, NULL },
		/* range b: a's lease file is not its own */
		{ "10.5.1.5", VERDICT_PENDING, REASON_NONE, NULL },
		/* a literal target: the settings' lease file */
		{ "10.5.9.9", VERDICT_USED, REASON_DHCP_LEASE, NULL },
	};
	struct fix f;
	char ev[384];
	size_t k;

	fix_setup(&f, conf_main, "a b 10.5.9.9");
	ck_assert_msg(records_load(&f.r, &f.p, f.err, sizeof(f.err)) == 0,
	    "%s", f.err);
	ck_assert_uint_eq(f.r.n, 3);
	ck_assert_int_eq(records_report(&f.r, &f.p, &f.c, T_NOW),
	    5 + 3 + 1 + 6);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		const struct collector_entry ent = fix_job(&f, want[k].addr);
		const struct collector_entry *e = &ent;

		ck_assert_msg(e->verdict == want[k].verdict &&
		    e->reason == want[k].reason, "%s: %s %s", want[k].addr,
		    verdict_name(e->verdict), reason_name(e->reason));
		if (want[k].evidence != NULL)
			ck_assert_str_eq(output_evidence(e,
			    fix_text(&f, want[k].addr), ev, sizeof(ev)),
			    want[k].evidence);
	}
	/* the lease came first: IPAM's name for .20 is not its evidence */
	ck_assert_ptr_null(strstr(fix_text(&f, "10.5.0.20"), "ipam"));
	/* records only answer: nothing needs their phase */
	ck_assert_uint_eq(f.c.left[EVIDENCE_RECORDS], 0);
	ck_assert_uint_eq(f.c.left[EVIDENCE_WIRE], f.c.n);
	fix_teardown(&f);
}
END_TEST

/* A lease ending past the grace is no evidence; one within it is. */
START_TEST(test_grace)
{
	struct fix f;

	fix_setup(&f, conf_main, "a");
	ck_assert_int_eq(records_load(&f.r, &f.p, f.err, sizeof(f.err)), 0);
	/* 2026-11-24 12:00 + 30 min: .21 ended 30 minutes ago */
	records_report(&f.r, &f.p, &f.c, 1795521600LL + 1800);
	ck_assert_uint_eq(fix_job(&f, "10.5.0.21").reason, REASON_DHCP_LEASE);
	fix_teardown(&f);
	fix_setup(&f, conf_main, "a");
	ck_assert_int_eq(records_load(&f.r, &f.p, f.err, sizeof(f.err)), 0);
	records_report(&f.r, &f.p, &f.c, 1795521600LL + LEASE_GRACE_S);
	ck_assert_uint_eq(fix_job(&f, "10.5.0.21").verdict, VERDICT_PENDING);
	fix_teardown(&f);
}
END_TEST

/* A missing or corrupt file is an error naming it; nothing is loaded. */
START_TEST(test_load_errors)
{
	struct fix f;
	char want[256];

	fix_setup(&f, "[a]\nrange = 10.5.0.1\nipam-csv = nothere.csv\n", "a");
	ck_assert_int_eq(records_load(&f.r, &f.p, f.err, sizeof(f.err)), -1);
	snprintf(want, sizeof(want), "%s/nothere.csv: No such file or "
	    "directory (ipam-csv, named at %s/ranges.conf:3)", f.dir, f.dir);
	ck_assert_str_eq(f.err, want);
	ck_assert_uint_eq(f.r.n, 0);
	ck_assert_ptr_null(f.r.v);
	fix_teardown(&f);
	fix_setup(&f, "dhcp-leases = bad.leases\n[a]\nrange = 10.5.0.1\n",
	    "a");
	ck_assert_int_eq(records_load(&f.r, &f.p, f.err, sizeof(f.err)), -1);
	snprintf(want, sizeof(want), "%s/bad.leases:1: lease without its "
	    "closing '}' (truncated file?)", f.dir);
	ck_assert_str_eq(f.err, want);
	fix_teardown(&f);
	fix_setup(&f, "[a]\nrange = 10.5.0.1\ndhcp-leases = kea:ipam.csv\n",
	    "a");
	ck_assert_int_eq(records_load(&f.r, &f.p, f.err, sizeof(f.err)), -1);
	ck_assert_ptr_nonnull(strstr(f.err, "/ipam.csv:1: not a Kea lease "
	    "file header"));
	fix_teardown(&f);
}
END_TEST

/* The words go with the reason that explains the verdict, only. */
START_TEST(test_report_text)
{
	static const uint32_t addrs[] = { 1, 2 };
	struct collector c;

	ck_assert_int_eq(collector_init(&c, addrs, 2), 0);
	ck_assert_int_eq(collector_report(&c, 0, EVIDENCE_WIRE,
	    REASON_ECHO_REPLY, 1, 100, 0), 1);
	ck_assert_int_eq(collector_report_text(&c, 0, EVIDENCE_DNS,
	    REASON_DNS_PTR, "h.example"), 1);
	ck_assert_uint_eq(collector_reason(&c, 0), REASON_ECHO_REPLY);
	ck_assert_ptr_null(collector_text(&c, 0));
	ck_assert_int_eq(collector_report_text(&c, 1, EVIDENCE_DNS,
	    REASON_DNS_ERROR, "Timeout"), 1);
	ck_assert_uint_eq(collector_verdict(&c, 1), VERDICT_UNKNOWN);
	ck_assert_str_eq(collector_text(&c, 1), "Timeout");
	/* a later answer wins the verdict; its own words are not those */
	ck_assert_int_eq(collector_report_text(&c, 1, EVIDENCE_RECORDS,
	    REASON_IPAM, NULL), 1);
	ck_assert_uint_eq(collector_verdict(&c, 1), VERDICT_USED);
	ck_assert_ptr_null(collector_text(&c, 1));
	ck_assert_int_eq(collector_report_text(&c, 5, EVIDENCE_DNS,
	    REASON_DNS_PTR, "x"), -1);
	collector_free(&c);
}
END_TEST

Suite *
records_suite(void)
{
	Suite *s = suite_create("records");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_report);
	tcase_add_test(tc, test_grace);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_report_text);
	suite_add_tcase(s, tc);
	return s;
}
