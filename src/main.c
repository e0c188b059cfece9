/* main.c - ipsweep: wire the modules together and choose the exit status */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "addr.h"
#include "config.h"
#include "diag.h"
#include "escape.h"
#include "history.h"
#include "output.h"
#include "options.h"
#include "plan.h"
#include "sweep.h"
#include "targets.h"

/* Exit statuses of ipsweep(1) that main itself decides. */
enum {
	EXIT_DONE = 0,
	EXIT_USAGE = 2,
	EXIT_SYSTEM = 4,
	/*
	 * The reader of stdout went away (`ipsweep --dry-run ... | head -1`)
	 * while SIGPIPE was ignored: leave quietly with the status a shell
	 * would show had SIGPIPE killed us, 128 + 13.
	 */
	EXIT_PIPE = 141
};

#define ERRLEN 4096

/*
 * main_open_std -- make sure fds 0, 1 and 2 are open.  Started with one of
 * them closed, the first socket or pipe we open would take its number, and
 * our output (or a worker's) would go into it.  /dev/null takes the place.
 * A closed stdout is remembered in main_stdout_closed: the results would
 * go nowhere, and that is reported as a write error at the end.
 * Returns 0, or -1 when even that fails.
 */
static int main_stdout_closed;

static int
main_open_std(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == 1)
			main_stdout_closed = 1;
		/* the lowest free number: this one, as lower ones are open */
		nfd = open("/dev/null", O_RDWR);
		if (nfd != fd) {
			if (nfd != -1)
				close(nfd);
			return -1;
		}
	}
	return 0;
}

/* main_exists -- for config_locate: whether PATH names anything at all */
static int
main_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * main_close_stdout -- flush and close stdout and tell whether everything
 * written really went out.  Returns EXIT_DONE, EXIT_PIPE (the reader left:
 * quiet) or EXIT_SYSTEM after "write error: REASON".
 */
static int
main_close_stdout(int saved_errno)
{
	int e = saved_errno;

	if (main_stdout_closed && e == 0)
		e = EBADF;
	if (fflush(stdout) == EOF && e == 0)
		e = errno;
	if (ferror(stdout) && e == 0)
		e = errno != 0 ? errno : EIO;
	if (fclose(stdout) == EOF && e == 0)
		e = errno;
	if (e == 0)
		return EXIT_DONE;
	if (e == EPIPE)
		return EXIT_PIPE;
	diag_err("write error: %s", strerror(e));
	return EXIT_SYSTEM;
}

/*
 * main_print_addrs -- the job list of --dry-run, one address per record,
 * each ended by END (a newline, or NUL for -0).
 * Stops at the first failed write, so a closed pipe ends a long list at
 * once.  Returns an exit status.
 */
static int
main_print_addrs(const uint32_t *addrs, size_t n, int end)
{
	char buf[ADDR_STRLEN];
	size_t i;

	errno = 0;
	for (i = 0; i < n; i++) {
		if (fputs(addr_format(addrs[i], buf), stdout) == EOF ||
		    putchar(end) == EOF)
			return main_close_stdout(errno != 0 ? errno : EIO);
	}
	return main_close_stdout(0);
}

/*
 * main_list -- --list: NAME, COUNT, PATH:LINE for every range of CFG, and
 * a note when there is none.  Returns an exit status.
 */
static int
main_list(const struct config *cfg)
{
	size_t i;

	if (cfg->n == 0)
		diag_note("no ranges defined in %s", cfg->path);
	errno = 0;
	for (i = 0; i < cfg->n; i++) {
		const struct config_range *r = &cfg->ranges[i];
		struct targets_set set;
		uint64_t count;

		targets_init(&set);
		if (config_range_set(r, &set) == -1) {
			targets_free(&set);
			diag_err("out of memory");
			return EXIT_SYSTEM;
		}
		count = targets_count(&set);
		targets_free(&set);
		if (printf("%s\t%llu\t%s:%u\n", r->name,
		    (unsigned long long)count, cfg->path, r->line) < 0)
			return main_close_stdout(errno != 0 ? errno : EIO);
	}
	return main_close_stdout(0);
}

/*
 * main_looks_like_target -- whether NAME was meant as an address, a CIDR
 * block or a range rather than a range name: it starts with a digit, holds
 * only what such forms (and their hex and octal misspellings) hold, and has
 * a '/', a '-' or three dots.  "10.121.49", a range name, does not.
 */
static int
main_looks_like_target(const char *name)
{
	const char *p;
	int dots = 0, sep = 0;

	if (name[0] < '0' || name[0] > '9')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (*p == '/' || *p == '-')
			sep = 1;
		else if (strchr("0123456789abcdefABCDEFxX", *p) == NULL)
			return 0;
	}
	return sep || dots >= 3;
}

/*
 * main_unknown -- report NAME, which is neither a range of the
 * configuration nor a valid target.  CFG_ERR is the configuration's load
 * error when it could not be read (then nothing else is known), or NULL.
 * TARGET_ERR is why NAME is no target.
 */
static void
main_unknown(const char *name, const struct config *cfg, const char *path,
    const char *cfg_err, const char *target_err)
{
	char q[256], *known;
	size_t i, len = 1;

	if (main_looks_like_target(name)) {
		diag_err("%s", target_err);
		return;
	}
	if (cfg_err != NULL) {
		diag_err("%s", cfg_err);
		return;
	}
	diag_err("unknown range '%s'", escape_quote(q, sizeof(q), name,
	    strlen(name), (size_t)-1));
	if (cfg->n == 0) {
		diag_err("no ranges defined in %s", path);
		return;
	}
	for (i = 0; i < cfg->n; i++)
		len += strlen(cfg->ranges[i].name) + 2;
	known = malloc(len);
	if (known == NULL) {
		diag_err("known ranges: %zu (out of memory to list them)",
		    cfg->n);
		return;
	}
	for (i = 0, len = 0; i < cfg->n; i++)
		len += (size_t)sprintf(known + len, "%s%s", i > 0 ? ", " : "",
		    cfg->ranges[i].name);
	diag_err("known ranges: %s", known);
	free(known);
}

/*
 * main_skipped -- say which addresses the plan left out by policy: one
 * note, every address with -v, nothing with -q.
 */
static void
main_skipped(const struct plan *p)
{
	const char *kinds[8];
	char list[256], buf[ADDR_STRLEN];
	size_t nkinds = 0, i, j, len = 0;

	for (i = 0; i < p->n_skipped; i++) {
		const char *why = addr_special(p->skipped[i]);

		for (j = 0; j < nkinds && strcmp(kinds[j], why) != 0; j++)
			;
		if (j == nkinds && nkinds < sizeof(kinds) / sizeof(kinds[0]))
			kinds[nkinds++] = why;
		diag_verbose(1, "skipping %s (%s)",
		    addr_format(p->skipped[i], buf), why);
	}
	if (p->n_skipped == 0)
		return;
	list[0] = '\0';
	for (j = 0; j < nkinds && len < sizeof(list); j++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    j > 0 ? ", " : "", kinds[j]);
	diag_note("skipping %zu special address%s (%s)", p->n_skipped,
	    p->n_skipped == 1 ? "" : "es", list);
}

/*
 * main_lock -- take --lock FILE without waiting.  Returns the descriptor
 * (held until exit), -1 after saying why, or -2 when another run holds it.
 */
static int
main_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0) {
		diag_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK)
			return -2;
		diag_err("%s: %s", path, strerror(e));
		return -1;
	}
	return fd;
}

/*
 * main_history_open -- open the history that O and CFG name (see
 * history_locate) into H for this site.  Returns 0, or -1 after saying
 * why (H's backend is then NULL).
 */
static int
main_history_open(const struct options *o, const struct config *cfg,
    struct history *h)
{
	char target[PATH_MAX], site[256], err[ERRLEN];
	int is_default;

	memset(h, 0, sizeof(*h));
	if (history_locate(o->db, getenv("IPSWEEP_DB"), cfg->db,
	    geteuid() == 0, getenv("XDG_STATE_HOME"), getenv("HOME"), target,
	    sizeof(target), &is_default) < 0) {
		diag_err("history database: no usable name (set --db or "
		    "$IPSWEEP_DB)");
		return -1;
	}
	if (o->site != NULL)
		snprintf(site, sizeof(site), "%s", o->site);
	else if (gethostname(site, sizeof(site)) < 0)
		snprintf(site, sizeof(site), "localhost");
	site[sizeof(site) - 1] = '\0';
	if (history_open(h, target, site, is_default, err, sizeof(err)) < 0) {
		diag_err("%s", err);
		return -1;
	}
	diag_verbose(1, "history: %s database '%s', site '%s'", h->be->kind,
	    h->name, h->site);
	return 0;
}

/*
 * main_last_seen -- --last-seen: what the history holds of every address
 * of PLAN, sending nothing.  Returns an exit status.
 */
static int
main_last_seen(const struct options *o, const struct config *cfg,
    const struct plan *plan)
{
	struct history h;
	struct history_job *jobs;
	size_t first = 0, m;
	int rc = -1;

	if (main_history_open(o, cfg, &h) < 0)
		return EXIT_SYSTEM;
	jobs = malloc(HISTORY_CHUNK * sizeof(*jobs));
	if (jobs == NULL) {
		diag_err("out of memory");
		history_close(&h);
		return EXIT_SYSTEM;
	}
	/* a chunk at a time: the memory does not grow with the ranges */
	errno = 0;
	do {
		m = plan->n - first < HISTORY_CHUNK ? plan->n - first :
		    HISTORY_CHUNK;
		if (history_query(&h, plan->addrs + first, m, jobs) < 0) {
			diag_err("history database '%s': %s", h.name, h.err);
			rc = EXIT_SYSTEM;
			break;
		}
		if (output_history(stdout, o, plan, plan->addrs, first, m,
		    plan->n, jobs) < 0) {
			rc = main_close_stdout(errno != 0 ? errno : EIO);
			break;
		}
		first += m;
	} while (first < plan->n);
	if (rc < 0)
		rc = main_close_stdout(0);
	free(jobs);
	history_close(&h);
	return rc;
}

/*
 * main_run -- everything after the options: find and read the
 * configuration, build the job list, then list, print or sweep it.
 * Returns the exit status.
 */
static int
main_run(const struct options *o)
{
	struct config cfg;
	struct plan plan;
	struct history hist;
	char path[PATH_MAX], err[ERRLEN];
	const char *cfg_err = NULL;
	size_t bad;
	int rc, lock = -1;

	config_init(&cfg);
	memset(&plan, 0, sizeof(plan));
	if (config_locate(o->config, getenv("IPSWEEP_CONFIG"),
	    getenv("XDG_CONFIG_HOME"), getenv("HOME"), IPSWEEP_SYSCONFDIR,
	    main_exists, path, sizeof(path)) == -1) {
		diag_err("configuration file name too long (%zu bytes at "
		    "most)", sizeof(path) - 1);
		rc = EXIT_USAGE;
		goto out;
	}
	if (config_load(&cfg, path, err, sizeof(err)) == -1) {
		/*
		 * A missing file matters only once a name has to be looked
		 * up in it (or for --list); literal targets need none.
		 */
		if (errno != ENOENT || o->list) {
			diag_err("%s", err);
			rc = EXIT_USAGE;
			goto out;
		}
		cfg_err = err;
	}
	if (o->list) {
		rc = main_list(&cfg);
		goto out;
	}
	{
		char perr[ERRLEN];

		switch (plan_build(&plan, o, cfg_err == NULL ? &cfg : NULL,
		    &bad, perr, sizeof(perr))) {
		case PLAN_OK:
			break;
		case PLAN_UNKNOWN_NAME:
			main_unknown(o->names[bad], &cfg, path, cfg_err, perr);
			rc = EXIT_USAGE;
			goto out;
		case PLAN_TOO_MANY:
			diag_err("%s", perr);
			rc = EXIT_USAGE;
			goto out;
		default:
			diag_err("%s", perr);
			rc = EXIT_SYSTEM;
			goto out;
		}
	}
	main_skipped(&plan);
	if (o->dry_run) {
		uint64_t probes, most;
		double secs;

		sweep_estimate(o, plan.n, &probes, &most, &secs);
		diag_note("%zu addresses to probe: %llu probes (up to %llu "
		    "if loss is seen), about %.1f s at %u packets/s", plan.n,
		    (unsigned long long)probes, (unsigned long long)most, secs,
		    o->rate_pps);
		rc = main_print_addrs(plan.addrs, plan.n,
		    o->null ? '\0' : '\n');
		goto out;
	}
	if (o->last_seen) {
		rc = main_last_seen(o, &cfg, &plan);
		goto out;
	}
	/* The lock comes last: nothing is sent if another run holds it. */
	if (o->lock != NULL && (lock = main_lock(o->lock)) < 0) {
		if (lock == -2)
			diag_err("%s: another ipsweep holds the lock; nothing "
			    "sent", o->lock);
		rc = lock == -2 ? SWEEP_EXIT_LOCKED : EXIT_SYSTEM;
		goto out;
	}
	/*
	 * The history opens before the sweep, while we may still create
	 * files (root drops its capabilities with the sockets open); the
	 * run is recorded at its end.  A history that cannot be opened does
	 * not stop the sweep: its result still counts.
	 */
	memset(&hist, 0, sizeof(hist));
	if (!o->no_history)
		main_history_open(o, &cfg, &hist);
	rc = sweep_main(o, &plan, o->no_history ? NULL : &hist,
	    main_stdout_closed);
	history_close(&hist);
	if (lock >= 0)
		close(lock);
out:
	config_free(&cfg);
	plan_free(&plan);
	return rc;
}

/*
 * main_refuse_setid -- 1 after saying so when we run setuid or setgid.
 * Only capability installs are supported (setcap cap_net_raw+ep): a
 * setuid-root ipsweep would read the configuration, $IPSWEEP_CONFIG and
 * --lock as root before it could drop anything.  So this is the first
 * thing main does, before it looks at the environment or at any file.
 */
static int
main_refuse_setid(void)
{
	uid_t ru = getuid(), eu = geteuid();
	gid_t rg = getgid(), eg = getegid();

	if (ru != eu)
		diag_err("refusing to run setuid or setgid (uid %lu, euid %lu): "
		    "install with 'setcap cap_net_raw+ep' instead",
		    (unsigned long)ru, (unsigned long)eu);
	else if (rg != eg)
		diag_err("refusing to run setuid or setgid (gid %lu, egid %lu): "
		    "install with 'setcap cap_net_raw+ep' instead",
		    (unsigned long)rg, (unsigned long)eg);
	return ru != eu || rg != eg;
}

int
main(int argc, char **argv)
{
	struct options o;
	char err[ERRLEN];
	long cpus;
	int rc;

	/*
	 * _exit: a process running with another's identity does as little
	 * as it can, and nothing runs at exit (stderr is unbuffered, there is
	 * nothing else to flush).  That includes LeakSanitizer's exit check
	 * in the ASan test build, which cannot trace a setgid process.
	 */
	if (main_refuse_setid())
		_exit(EXIT_SYSTEM);
	if (main_open_std() == -1)
		return EXIT_SYSTEM;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	if (cpus > OPTIONS_JOBS_MAX)
		cpus = OPTIONS_JOBS_MAX;
	rc = options_parse(argc, (const char **)argv, (unsigned)cpus, &o, err,
	    sizeof(err));
	switch (rc) {
	case OPTIONS_OK:
		diag_setup(o.quiet, o.verbose);
		rc = main_run(&o);
		break;
	case OPTIONS_EXIT_OK:
		rc = main_close_stdout(0);
		break;
	default:
		diag_usage(err);
		rc = EXIT_USAGE;
		break;
	}
	options_free(&o);
	return rc;
}
