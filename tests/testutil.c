/* testutil.c - helpers the Check suites share */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static FILE *tu_cap_file;
static int tu_cap_saved = -1;

void
tu_cap_start(void)
{
	tu_cap_file = tmpfile();
	ck_assert_ptr_nonnull(tu_cap_file);
	fflush(stderr);
	tu_cap_saved = dup(2);
	ck_assert_int_ge(tu_cap_saved, 0);
	ck_assert_int_eq(dup2(fileno(tu_cap_file), 2), 2);
}

char *
tu_cap_end(void)
{
	char *out;
	long len;

	fflush(stderr);
	ck_assert_int_eq(dup2(tu_cap_saved, 2), 2);
	close(tu_cap_saved);
	len = ftell(tu_cap_file);
	ck_assert_int_ge(len, 0);
	out = calloc(1, (size_t)len + 1);
	ck_assert_ptr_nonnull(out);
	rewind(tu_cap_file);
	ck_assert_uint_eq(fread(out, 1, (size_t)len, tu_cap_file),
	    (size_t)len);
	fclose(tu_cap_file);
	return out;
}

void
tu_options(struct options *o, char *buf, size_t len, const char *args)
{
	const char *argv[TU_ARGV_MAX + 1];
	char err[256];
	int argc = 0;
	char *tok, *save = NULL;

	ck_assert_uint_lt(strlen(args), len);
	strcpy(buf, args);
	argv[argc++] = "ipsweep";
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		ck_assert_int_lt(argc, TU_ARGV_MAX);
		argv[argc++] = tok;
	}
	argv[argc] = NULL;
	ck_assert_msg(options_parse(argc, argv, 2, o, err, sizeof(err)) ==
	    OPTIONS_OK, "options '%s': %s", args, err);
}
