/*
 * What the bench drivers (xsload, xsring) share: a monotonic clock and a
 * daemon's CPU time.
 */
#ifndef XSBENCH_CLOCK_H
#define XSBENCH_CLOCK_H

#include <dirent.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * CPU time of every thread of pid, in seconds.  getrusage sees only
 * ourselves and our children; schedstat's run time (ns) is the same sum
 * of user and system time at a resolution that resolves a microsecond per
 * operation, where stat's clock ticks (10 ms) do not.
 */
static double
cpu_of(pid_t pid)
{
	char path[320];
	unsigned long long ns, sum = 0;
	struct dirent *de;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%s/schedstat",
		    (long)pid, de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%llu", &ns) == 1)
			sum += ns;
		fclose(f);
	}
	closedir(d);
	return (double)sum / 1e9;
}

#endif
