/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * gntpeer: the dom0 end of the grant-table lab check.  Maps one grant of a
 * guest through Linux's /dev/xen/gntdev, as a backend would, and
 *   check DOMID REF SEED   verifies the page holds pattern(SEED) (read-only)
 *   fill  DOMID REF SEED   writes pattern(SEED) into it (read-write)
 *   hold  DOMID REF        keeps it mapped read-only until stdin ends
 * pattern(s)[i] = (i * 7 + s) & 0xff, the same formula as the guest's test.
 * Prints one line: "ok ..." or "fail: ...", and exits 0 only on "ok".
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/sys/gntdev.h>

#define PAGE	4096

static int
fail(const char *what)
{
	printf("fail: %s: %s\n", what, strerror(errno));
	return (1);
}

int
main(int argc, char **argv)
{
	struct ioctl_gntdev_map_grant_ref map;
	struct ioctl_gntdev_unmap_grant_ref unmap;
	const char *mode;
	unsigned seed = 0;
	bool rw;
	volatile uint8_t *p;
	char buf[64];
	int fd, rc = 0;

	if (argc < 4 || (strcmp(argv[1], "hold") != 0 && argc < 5)) {
		fprintf(stderr, "usage: gntpeer check|fill|hold DOMID REF [SEED]\n");
		return (2);
	}
	mode = argv[1];
	rw = strcmp(mode, "fill") == 0;
	if (argc > 4)
		seed = (unsigned)strtoul(argv[4], NULL, 0);
	if ((fd = open("/dev/xen/gntdev", O_RDWR)) < 0)
		return (fail("open /dev/xen/gntdev"));
	memset(&map, 0, sizeof(map));
	map.count = 1;
	map.refs[0].domid = (uint32_t)strtoul(argv[2], NULL, 0);
	map.refs[0].ref = (uint32_t)strtoul(argv[3], NULL, 0);
	if (ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) != 0)
		return (fail("IOCTL_GNTDEV_MAP_GRANT_REF"));
	/* The grant is mapped by Xen at mmap time; a bad one fails here. */
	p = mmap(NULL, PAGE, PROT_READ | (rw ? PROT_WRITE : 0), MAP_SHARED, fd,
	    (off_t)map.index);
	if (p == MAP_FAILED)
		return (fail("mmap of the grant"));
	if (strcmp(mode, "check") == 0) {
		unsigned bad = 0, zero = 0, first = PAGE, later;

		for (unsigned i = 0; i < PAGE; i++)
			if (p[i] != (uint8_t)(i * 7 + seed)) {
				bad++;
				zero += p[i] == 0;
				if (first == PAGE)
					first = i;
			}
		if (bad != 0) {
			/*
			 * Says which page we saw (all zero: another frame, or
			 * one zeroed under the guest) and whether it was still
			 * settling (a second look 200 ms later); it stays a
			 * failure either way.
			 */
			usleep(200000);
			later = 0;
			for (unsigned i = 0; i < PAGE; i++)
				later += p[i] != (uint8_t)(i * 7 + seed);
			printf("fail: byte %u is %#x, want %#x; %u bytes differ "
			    "(%u of them zero), %u differ 200 ms later\n", first,
			    p[first], (uint8_t)(first * 7 + seed), bad, zero,
			    later);
			rc = 1;
		} else
			printf("ok %d bytes match pattern %u\n", PAGE, seed);
	} else if (rw) {
		for (unsigned i = 0; i < PAGE; i++)
			p[i] = (uint8_t)(i * 7 + seed);
		printf("ok wrote pattern %u\n", seed);
	} else {
		printf("ok held\n");
		fflush(stdout);
		while (read(0, buf, sizeof(buf)) > 0)
			continue;
	}
	fflush(stdout);
	if (munmap((void *)p, PAGE) != 0)
		return (fail("munmap"));
	memset(&unmap, 0, sizeof(unmap));
	unmap.index = map.index;
	unmap.count = 1;
	if (ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) != 0)
		return (fail("IOCTL_GNTDEV_UNMAP_GRANT_REF"));
	close(fd);
	return (rc);
}
