/* stall_probe: how late does a real-time sleeper wake up on this machine?
 *
 * The soak (bench/soak.sh) counts spurious VRRP takeovers under CPU load.  A
 * takeover needs the master to be silent for Master_Down_Interval; if a
 * SCHED_RR process that wants the CPU every millisecond is also kept off it for
 * that long, the machine (the hypervisor, a stuck kernel path) stalled, not the
 * VRRP implementation.  This probe runs beside the directors with the same
 * scheduling lbha's VRRP child gets (SCHED_RR 1, memory locked), sleeps to
 * absolute 1 ms deadlines, and reports every wake-up later than a threshold.
 *
 *   stall_probe [-p PERIOD_US] [-t THRESHOLD_US]
 *
 * Each late wake-up: one line "EPOCH_SECONDS LATE_MS" on stdout.  On SIGINT or
 * SIGTERM: "# wakeups N late>THRESHOLD M max_late_ms X" and exit 0. */
#include <config.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static struct timespec ns_ts(int64_t ns)
{
	return (struct timespec){ .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
}

static void make_realtime(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	if (sched_setscheduler(0, SCHED_RR, &sp) < 0)
		fprintf(stderr, "stall_probe: SCHED_RR: %m (running at normal priority)\n");
	if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		fprintf(stderr, "stall_probe: mlockall: %m\n");
}

int main(int argc, char **argv)
{
	int64_t period_ns = 1000000, threshold_ns = 5000000;
	int opt;

	while ((opt = getopt(argc, argv, "p:t:")) != -1) {
		if (opt == 'p')
			period_ns = strtoll(optarg, NULL, 10) * 1000;
		else if (opt == 't')
			threshold_ns = strtoll(optarg, NULL, 10) * 1000;
		else {
			fprintf(stderr, "usage: stall_probe [-p PERIOD_US] [-t THRESHOLD_US]\n");
			return 64;
		}
	}
	if (period_ns <= 0 || threshold_ns <= 0) {
		fprintf(stderr, "stall_probe: period and threshold must be > 0\n");
		return 64;
	}
	struct sigaction sa = { .sa_handler = on_stop };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	make_realtime();

	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t deadline = ts_ns(&now), max_late = 0;
	uint64_t wakeups = 0, late = 0;

	while (!stop_requested) {
		deadline += period_ns;
		struct timespec d = ns_ts(deadline);
		int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &d, NULL);
		if (r == EINTR)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t lateness = ts_ns(&now) - deadline;
		wakeups++;
		if (lateness > max_late)
			max_late = lateness;
		if (lateness > threshold_ns) {
			struct timespec wall;
			clock_gettime(CLOCK_REALTIME, &wall);
			late++;
			printf("%.6f %.3f\n", (double)ts_ns(&wall) / 1e9, (double)lateness / 1e6);
			/* Start again from now: one stall is one line, not a burst of
			 * catch-up wake-ups. */
			deadline = ts_ns(&now);
		}
	}
	printf("# wakeups %llu late>%.1fms %llu max_late_ms %.3f\n", (unsigned long long)wakeups,
	       (double)threshold_ns / 1e6, (unsigned long long)late, (double)max_late / 1e6);
	return 0;
}
