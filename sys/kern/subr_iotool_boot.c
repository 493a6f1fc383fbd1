/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * "iotool=<run>[;<run>...]" on the command line: after start-up, a thread
 * runs each pattern (see iotool(9) for the syntax) on its disk, waiting up
 * to iotool.wait seconds for the disk to appear (a PV disk attaches after
 * start-up), prints one IOTOOL line per run and powers off: status 0 if
 * every run was clean.  The runs go in order, so
 * "disk=md0,op=write,verify=1;disk=md0,verify=1" writes a disk and then
 * checks it.
 */
#include <sys/param.h>
#include <sys/disk.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/kernel.h>
#include <sys/proc.h>
#include <sys/systm.h>
#include <sys/time.h>

/* A command-line word is at most 255 characters. */
static char	iotool_spec[256];
TUNABLE_STR("iotool", iotool_spec, sizeof(iotool_spec),
    "I/O tool runs after start-up, separated by ';' (see iotool(9))");
static int	iotool_wait_s = 10;
TUNABLE_INT("iotool.wait", &iotool_wait_s,
    "seconds each iotool= run waits for its disk to appear");

/* One run; true if it ran clean. */
static bool
iotool_boot_one(const char *spec)
{
	struct iotool_args ia;
	struct iotool_result ir;
	struct disk *dp;
	char disk[DISK_NAMELEN], line[320];
	int error;

	error = iotool_parse(spec, &ia, disk, sizeof(disk));
	if (error != 0) {
		printf("IOTOOL error=%d bad specification \"%s\"\n", error, spec);
		return (false);
	}
	dp = disk_wait(disk, (sbintime_t)iotool_wait_s * SBT_1S);
	if (dp == NULL) {
		printf("IOTOOL disk=%s error=%d no such disk after %d s\n", disk,
		    ENXIO, iotool_wait_s);
		return (false);
	}
	error = iotool_run(dp, &ia, &ir);
	disk_rele(dp);
	if (error != 0) {
		printf("IOTOOL disk=%s error=%d arguments refused \"%s\"\n", disk,
		    error, spec);
		return (false);
	}
	iotool_format(line, sizeof(line), disk, &ia, &ir);
	printf("%s\n", line);
	return (iotool_clean(&ir));
}

static void
iotool_boot_thread(void *arg __unused)
{
	char buf[sizeof(iotool_spec)];
	char *p, *next;
	bool clean = true;

	strlcpy(buf, iotool_spec, sizeof(buf));
	for (p = buf; p != NULL; p = next) {
		next = strchr(p, ';');
		if (next != NULL)
			*next++ = '\0';
		if (*p != '\0' && !iotool_boot_one(p))
			clean = false;
	}
	printf("IOTOOL-DONE %s\n", clean ? "clean" : "failed");
	kern_poweroff(clean ? 0 : 1);
}

static void
iotool_boot(void *arg __unused)
{
	int error;

	if (iotool_spec[0] == '\0')
		return;
	error = kthread_add(iotool_boot_thread, NULL, NULL, 0, "iotool");
	if (error != 0)
		printf("iotool: no thread (%d)\n", error);
}
SYSINIT(iotool_boot, SI_SUB_LAST, SI_ORDER_ANY, iotool_boot, NULL);
