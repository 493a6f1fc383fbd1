/*
 * blkload: the Linux side of bench/blk.  Runs block I/O patterns on a
 * disk with O_DIRECT and prints one line per pattern in the format of our
 * kernel's iotool= (iotool(9)), so that bench/blk/run reads both alike.
 *
 *	blkload DEVICE SPEC[;SPEC...] [SPEC...]
 *
 * A SPEC is iotool's run syntax without disk=: op=read|write,
 * pattern=seq|rand, bs=, qd=, time= (ms), count=, offset=, length=, seed=.
 * Queue depth N is N threads, each with one pread/pwrite in flight.
 * Latencies are exact (every request is kept and sorted), where iotool's
 * come from a histogram at most one eighth above the exact value.
 * Exits non-zero if a pattern could not run or a request failed.
 */
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/fs.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BL_MAXQD	256
#define BL_PAGE		4096
#define BL_STACK	(256 * 1024)

struct bl_args {
	bool		write;
	bool		random;
	uint64_t	bsize;
	unsigned	qdepth;
	uint64_t	offset;
	uint64_t	length;
	uint64_t	count;
	uint64_t	time_ms;
	uint64_t	seed;
};

struct bl_run;

struct bl_thread {
	struct bl_run	*t_run;
	unsigned	t_index;
	void		*t_buf;
	uint64_t	t_rng;
	uint64_t	*t_lat;		/* ns, one per completed request */
	size_t		t_nlat;
	size_t		t_cap;
	uint64_t	t_errors;
	int		t_first_errno;
};

struct bl_run {
	const struct bl_args *r_args;
	int		r_fd;
	uint64_t	r_first;	/* first block of the region */
	uint64_t	r_nblocks;
	uint64_t	r_count;
	uint64_t	r_t0;
	atomic_uint_fast64_t r_issued;
	pthread_barrier_t r_start;
};

static uint64_t
bl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/* xorshift64*: cheap, and each thread has its own stream. */
static uint64_t
bl_random(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return (x * 0x2545f4914f6cdd1dULL);
}

static int
bl_number(const char *s, uint64_t *vp)
{
	char *end;
	uint64_t v, mul = 1;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s)
		return (-1);
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	default: break;
	}
	if (*end != '\0' || (v != 0 && mul > UINT64_MAX / v))
		return (-1);
	*vp = v * mul;
	return (0);
}

/* Parses one SPEC (modified in place); returns 0 or -1 with a message. */
static int
bl_parse(char *spec, struct bl_args *a)
{
	char *kv, *save, *eq;
	uint64_t v;

	memset(a, 0, sizeof(*a));
	a->bsize = 4096;
	a->qdepth = 1;
	a->seed = 1;
	for (kv = strtok_r(spec, ",", &save); kv != NULL;
	    kv = strtok_r(NULL, ",", &save)) {
		eq = strchr(kv, '=');
		if (eq == NULL) {
			fprintf(stderr, "blkload: '%s': no '='\n", kv);
			return (-1);
		}
		*eq++ = '\0';
		if (strcmp(kv, "op") == 0) {
			if (strcmp(eq, "read") != 0 && strcmp(eq, "write") != 0)
				goto bad;
			a->write = strcmp(eq, "write") == 0;
			continue;
		}
		if (strcmp(kv, "pattern") == 0) {
			if (strcmp(eq, "seq") != 0 && strcmp(eq, "rand") != 0)
				goto bad;
			a->random = strcmp(eq, "rand") == 0;
			continue;
		}
		if (bl_number(eq, &v) != 0)
			goto bad;
		if (strcmp(kv, "bs") == 0)
			a->bsize = v;
		else if (strcmp(kv, "qd") == 0 && v >= 1 && v <= BL_MAXQD)
			a->qdepth = (unsigned)v;
		else if (strcmp(kv, "time") == 0)
			a->time_ms = v;
		else if (strcmp(kv, "count") == 0)
			a->count = v;
		else if (strcmp(kv, "offset") == 0)
			a->offset = v;
		else if (strcmp(kv, "length") == 0)
			a->length = v;
		else if (strcmp(kv, "seed") == 0)
			a->seed = v != 0 ? v : 1;
		else
			goto bad;
	}
	/* O_DIRECT wants buffers, offsets and sizes in whole sectors. */
	if (a->bsize == 0 || a->bsize % 512 != 0 || a->offset % a->bsize != 0) {
		fprintf(stderr, "blkload: bs must be a multiple of 512 and "
		    "offset a multiple of bs\n");
		return (-1);
	}
	return (0);
bad:
	fprintf(stderr, "blkload: bad %s=%s\n", kv, eq);
	return (-1);
}

static void
bl_record(struct bl_thread *t, uint64_t ns)
{
	uint64_t *n;

	if (t->t_nlat == t->t_cap) {
		t->t_cap = t->t_cap != 0 ? t->t_cap * 2 : 4096;
		n = realloc(t->t_lat, t->t_cap * sizeof(*n));
		if (n == NULL) {
			/* Counted as done, not timed: never seen so far. */
			t->t_cap = t->t_nlat;
			return;
		}
		t->t_lat = n;
	}
	t->t_lat[t->t_nlat++] = ns;
}

static void *
bl_worker(void *arg)
{
	struct bl_thread *t = arg;
	struct bl_run *r = t->t_run;
	const struct bl_args *a = r->r_args;
	uint64_t idx, blk, s;
	ssize_t n;
	off_t off;

	pthread_barrier_wait(&r->r_start);
	for (;;) {
		if (a->time_ms != 0 &&
		    bl_now_ns() - r->r_t0 >= a->time_ms * 1000000u)
			break;
		idx = atomic_fetch_add(&r->r_issued, 1);
		if (idx >= r->r_count)
			break;
		blk = a->random ? bl_random(&t->t_rng) % r->r_nblocks :
		    idx % r->r_nblocks;
		off = (off_t)((r->r_first + blk) * a->bsize);
		s = bl_now_ns();
		if (a->write)
			n = pwrite(r->r_fd, t->t_buf, a->bsize, off);
		else
			n = pread(r->r_fd, t->t_buf, a->bsize, off);
		if (n != (ssize_t)a->bsize) {
			if (t->t_errors++ == 0)
				t->t_first_errno = n < 0 ? errno : EIO;
			continue;
		}
		bl_record(t, bl_now_ns() - s);
	}
	return (NULL);
}

static int
bl_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return (a < b ? -1 : a > b);
}

/* Nearest rank: the smallest value with at least pm/1000 of them at or below. */
static uint64_t
bl_rank(const uint64_t *v, size_t n, unsigned pm)
{
	size_t k;

	if (n == 0)
		return (0);
	k = (n * pm + 999) / 1000;
	return (v[k != 0 ? k - 1 : 0]);
}

static int
bl_run_one(int fd, uint64_t disksize, const char *disk,
    const struct bl_args *a)
{
	struct bl_run r;
	struct bl_thread *th;
	pthread_attr_t attr;
	pthread_t *tid;
	char *bufs;
	size_t stride;
	uint64_t region, ios, bytes, errors, us, mbps100, *all;
	size_t nall;
	int first_errno, rc;
	unsigned i;

	if (a->offset >= disksize) {
		fprintf(stderr, "blkload: offset beyond the disk\n");
		return (-1);
	}
	region = a->length != 0 ? a->length : disksize - a->offset;
	if (region > disksize - a->offset)
		region = disksize - a->offset;
	region -= region % a->bsize;
	if (region == 0) {
		fprintf(stderr, "blkload: region smaller than one block\n");
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.r_args = a;
	r.r_fd = fd;
	r.r_first = a->offset / a->bsize;
	r.r_nblocks = region / a->bsize;
	r.r_count = a->count != 0 ? a->count :
	    a->time_ms != 0 ? UINT64_MAX : r.r_nblocks;
	atomic_init(&r.r_issued, 0);
	th = calloc(a->qdepth, sizeof(*th));
	tid = calloc(a->qdepth, sizeof(*tid));
	if (th == NULL || tid == NULL ||
	    pthread_barrier_init(&r.r_start, NULL, a->qdepth + 1) != 0) {
		fprintf(stderr, "blkload: out of memory\n");
		free(th);
		free(tid);
		return (-1);
	}
	/*
	 * The I/O buffers in a mapping of their own, each rounded to whole
	 * pages: no malloc metadata shares a page the disk writes into.
	 */
	stride = (a->bsize + BL_PAGE - 1) / BL_PAGE * BL_PAGE;
	bufs = mmap(NULL, stride * a->qdepth, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (bufs == MAP_FAILED || pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setstacksize(&attr, BL_STACK) != 0) {
		fprintf(stderr, "blkload: out of memory\n");
		exit(1);
	}
	rc = 0;
	for (i = 0; i < a->qdepth; i++) {
		th[i].t_run = &r;
		th[i].t_index = i;
		th[i].t_rng = a->seed * 0x9e3779b97f4a7c15ULL + i + 1;
		th[i].t_buf = bufs + (size_t)i * stride;
		memset(th[i].t_buf, 0xa5 ^ (int)i, a->bsize);
		if (pthread_create(&tid[i], &attr, bl_worker, &th[i]) != 0) {
			fprintf(stderr, "blkload: cannot start thread %u\n", i);
			exit(1);
		}
	}
	r.r_t0 = bl_now_ns();
	pthread_barrier_wait(&r.r_start);
	for (i = 0; i < a->qdepth; i++)
		pthread_join(tid[i], NULL);
	us = (bl_now_ns() - r.r_t0) / 1000;
	if (us == 0)
		us = 1;

	nall = 0;
	errors = 0;
	first_errno = 0;
	for (i = 0; i < a->qdepth; i++) {
		nall += th[i].t_nlat;
		errors += th[i].t_errors;
		if (first_errno == 0)
			first_errno = th[i].t_first_errno;
	}
	all = malloc((nall != 0 ? nall : 1) * sizeof(*all));
	if (all == NULL) {
		fprintf(stderr, "blkload: out of memory\n");
		exit(1);
	}
	nall = 0;
	for (i = 0; i < a->qdepth; i++) {
		if (th[i].t_nlat != 0)
			memcpy(all + nall, th[i].t_lat,
			    th[i].t_nlat * sizeof(*all));
		nall += th[i].t_nlat;
		free(th[i].t_lat);
	}
	pthread_attr_destroy(&attr);
	munmap(bufs, stride * a->qdepth);
	qsort(all, nall, sizeof(*all), bl_cmp);
	ios = nall;
	bytes = ios * a->bsize;
	mbps100 = bytes * 100 / us;
	printf("IOTOOL disk=%s op=%s pattern=%s bs=%" PRIu64 " qd=%u verify=0 "
	    "ios=%" PRIu64 " bytes=%" PRIu64 " ms=%" PRIu64 " MB/s=%" PRIu64
	    ".%02" PRIu64 " iops=%" PRIu64 " p50_us=%" PRIu64 " p99_us=%" PRIu64
	    " max_us=%" PRIu64 " errors=%" PRIu64 " bad_crc=0 bad_blkno=0 "
	    "stale=0 first_bad=-1\n",
	    disk, a->write ? "write" : "read", a->random ? "rand" : "seq",
	    a->bsize, a->qdepth, ios, bytes, us / 1000, mbps100 / 100,
	    mbps100 % 100, ios * 1000000 / us, bl_rank(all, nall, 500) / 1000,
	    bl_rank(all, nall, 990) / 1000,
	    nall != 0 ? all[nall - 1] / 1000 : 0, errors);
	if (errors != 0) {
		fprintf(stderr, "blkload: %" PRIu64 " requests failed, first: "
		    "%s\n", errors, strerror(first_errno));
		rc = -1;
	}
	fflush(stdout);
	free(all);
	pthread_barrier_destroy(&r.r_start);
	free(th);
	free(tid);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct bl_args a;
	struct stat st;
	const char *disk;
	char *spec, *save, *s;
	uint64_t size;
	int fd, i, status;

	if (argc < 3) {
		fprintf(stderr, "usage: blkload DEVICE SPEC[;SPEC...] ...\n");
		return (2);
	}
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "blkload: %s: %s\n", argv[1], strerror(errno));
		return (1);
	}
	/* A regular file too, to try it out on the build machine. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		size = (uint64_t)st.st_size;
	else if (ioctl(fd, BLKGETSIZE64, &size) != 0) {
		fprintf(stderr, "blkload: %s: size: %s\n", argv[1],
		    strerror(errno));
		return (1);
	}
	disk = strrchr(argv[1], '/') != NULL ? strrchr(argv[1], '/') + 1 :
	    argv[1];
	status = 0;
	for (i = 2; i < argc; i++) {
		for (spec = strtok_r(argv[i], ";", &save); spec != NULL;
		    spec = strtok_r(NULL, ";", &save)) {
			s = spec;
			if (bl_parse(s, &a) != 0 ||
			    bl_run_one(fd, size, disk, &a) != 0) {
				printf("IOTOOL disk=%s error=1\n", disk);
				status = 1;
			}
		}
	}
	close(fd);
	return (status);
}
