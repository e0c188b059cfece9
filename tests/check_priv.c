/* check_priv.c - the privilege drop, in a child process each time */
#include <check.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "priv.h"

Suite *priv_suite(void);

/* What a child saw after its drop. */
struct after {
	int rc;
	int nnp;                /* PR_GET_NO_NEW_PRIVS */
	long long eff, prm;     /* CapEff, CapPrm */
	int bounding;           /* capabilities left in the bounding set */
	char err[200];
};

/* caps -- the effective and permitted masks of this process (libcap) */
static void
caps(long long *eff, long long *prm)
{
	cap_t c = cap_get_proc();
	int cap;

	ck_assert_ptr_nonnull(c);
	*eff = *prm = 0;
	for (cap = 0; cap < 64; cap++) {
		cap_flag_value_t e = CAP_CLEAR, p = CAP_CLEAR;

		if (cap_get_flag(c, cap, CAP_EFFECTIVE, &e) < 0 ||
		    cap_get_flag(c, cap, CAP_PERMITTED, &p) < 0)
			break;
		if (e == CAP_SET)
			*eff |= (long long)(1ULL << cap);
		if (p == CAP_SET)
			*prm |= (long long)(1ULL << cap);
	}
	cap_free(c);
}

/* bounding -- how many capabilities the bounding set holds */
static int
bounding(void)
{
	int cap, n = 0;

	for (cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0;
	    cap++)
		n += prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
	return n;
}

/* lose_setpcap -- give up CAP_SETPCAP and keep the rest (in the child) */
static int
lose_setpcap(void)
{
	cap_t c = cap_get_proc();
	cap_value_t v = CAP_SETPCAP;
	int rc;

	if (c == NULL)
		return -1;
	rc = cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) < 0 ||
	    cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR) < 0 ||
	    cap_set_proc(c) < 0 ? -1 : 0;
	cap_free(c);
	return rc;
}

/*
 * drop_in_child -- fork; the child (without CAP_SETPCAP first when
 * NO_SETPCAP) calls priv_drop_mode(MODE), or priv_drop() when MODE is -1,
 * and reports what it then holds.  Returns that report.
 */
static struct after
drop_in_child(int mode, int no_setpcap)
{
	struct after a;
	int fd[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		memset(&a, 0, sizeof(a));
		close(fd[0]);
		if (no_setpcap && lose_setpcap() < 0)
			_exit(3);
		a.rc = mode < 0 ? priv_drop(a.err, sizeof(a.err)) :
		    priv_drop_mode((enum priv_mode)mode, a.err, sizeof(a.err));
		a.nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
		caps(&a.eff, &a.prm);
		a.bounding = bounding();
		_exit(write(fd[1], &a, sizeof(a)) == (ssize_t)sizeof(a) ? 0 :
		    2);
	}
	close(fd[1]);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(read(fd[0], &a, sizeof(a)), (ssize_t)sizeof(a));
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return a;
}

/* has_setpcap -- whether this process may empty its bounding set */
static int
has_setpcap(void)
{
	long long eff, prm;

	caps(&eff, &prm);
	return (eff & 1LL << CAP_SETPCAP) != 0;
}

/*
 * Sealed: no capability, no_new_privs, and an empty bounding set when we
 * could empty it (root), else the bounding set as it was.
 */
START_TEST(test_sealed)
{
	int before = bounding();
	struct after a = drop_in_child(PRIV_MODE_SEALED, 0);

	ck_assert_msg(a.rc == 0, "priv_drop_mode: %s", a.err);
	ck_assert_int_eq(a.nnp, 1);
	ck_assert(a.eff == 0);
	ck_assert(a.prm == 0);
	ck_assert_int_eq(a.bounding, has_setpcap() ? 0 : before);
}
END_TEST

/*
 * Without CAP_SETPCAP (a cap_net_raw+ep install), sealing cannot touch
 * the bounding set: that is no error, and no_new_privs is still set.
 */
START_TEST(test_sealed_no_setpcap)
{
	int before = bounding();
	struct after a = drop_in_child(PRIV_MODE_SEALED, 1);

	ck_assert_msg(a.rc == 0, "priv_drop_mode: %s", a.err);
	ck_assert_int_eq(a.nnp, 1);
	ck_assert(a.eff == 0);
	ck_assert(a.prm == 0);
	ck_assert_int_eq(a.bounding, before);
}
END_TEST

/*
 * For ping(8) workers: every capability goes, but no_new_privs stays off
 * and the bounding set whole, or ping could not gain its own.
 */
START_TEST(test_exec)
{
	int before = bounding(), i;

	for (i = 0; i < 2; i++) {
		struct after a = drop_in_child(i == 0 ? PRIV_MODE_EXEC : -1,
		    0);

		ck_assert_msg(a.rc == 0, "priv_drop: %s", a.err);
		ck_assert_int_eq(a.nnp, 0);
		ck_assert(a.eff == 0);
		ck_assert(a.prm == 0);
		ck_assert_int_eq(a.bounding, before);
	}
}
END_TEST

/*
 * child_raise -- in a child: keep CAP_NET_RAW permitted only (as a +p
 * file capability leaves it), raise it, and exit 0 when it is effective
 * then (1 when it was never permitted: nothing to raise, no error).
 */
static int
child_raise(void)
{
	cap_t c = cap_init();
	cap_value_t v = CAP_NET_RAW;
	long long eff;
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int was = (priv_cap_effective() & 1LL << CAP_NET_RAW) != 0;

		if (was && (cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_SET) < 0 ||
		    cap_set_proc(c) < 0))
			_exit(3);
		if (was && (priv_cap_effective() & 1LL << CAP_NET_RAW) != 0)
			_exit(4);
		if (priv_raise_net_raw() < 0)
			_exit(5);
		eff = priv_cap_effective();
		if (!was)
			_exit(eff == 0 ? 1 : 6);
		_exit(eff == 1LL << CAP_NET_RAW ? 0 : 7);
	}
	cap_free(c);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/*
 * A +p install: CAP_NET_RAW permitted, not effective, is raised.  Without
 * it (an ordinary user): nothing to raise, and no error.
 */
START_TEST(test_raise)
{
	long long eff, prm;

	caps(&eff, &prm);
	ck_assert_int_eq(child_raise(), (eff & 1LL << CAP_NET_RAW) ? 0 : 1);
}
END_TEST

Suite *
priv_suite(void)
{
	Suite *s = suite_create("priv");
	TCase *tc = tcase_create("drop");

	tcase_add_test(tc, test_sealed);
	tcase_add_test(tc, test_sealed_no_setpcap);
	tcase_add_test(tc, test_exec);
	tcase_add_test(tc, test_raise);
	suite_add_tcase(s, tc);
	return s;
}
