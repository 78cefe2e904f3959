#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "event_signals.h"

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	int *seen = userdata;
	*seen = (int)si->ssi_signo;
	return 0;
}

/* A raised signal arrives as an event, not as a default action (which for
 * SIGUSR1 would kill the test). */
static void test_signal_becomes_event(void **state)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2 };
	sd_event *e = NULL;
	int seen = 0;
	sigset_t now;

	assert_int_equal(event_new_with_signals(sigs, 2, on_signal, &seen, 0, &e), 0);
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	assert_true(sigismember(&now, SIGUSR1));
	assert_true(sigismember(&now, SIGUSR2));

	raise(SIGUSR2);
	assert_true(sd_event_run(e, 1000000) > 0);
	assert_int_equal(seen, SIGUSR2);
	/* the loop owns its sources: one unref frees everything */
	sd_event_unref(e);
}

static void test_bad_signal_fails_cleanly(void **state)
{
	static const int sigs[] = { SIGKILL };
	sd_event *e = NULL;
	int seen = 0;

	assert_true(event_new_with_signals(sigs, 1, on_signal, &seen, 0, &e) < 0);
	assert_null(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_becomes_event),
		cmocka_unit_test(test_bad_signal_fails_cleanly),
	};
	return cmocka_run_group_tests_name("event_signals", tests, NULL, NULL);
}
