/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The I/O tool's text: a run's specification (the iotool= boot option) and
 * its one-line result.  Pure: shared with the hosted tests.
 */
#include <sys/param.h>
#include <sys/bio.h>
#include <sys/errno.h>
#include <sys/iotool.h>
#include <sys/systm.h>
#include <sys/time.h>

#define SPEC_MAX	256

void
iotool_args_init(struct iotool_args *ia)
{
	memset(ia, 0, sizeof(*ia));
	ia->ia_cmd = BIO_READ;
	ia->ia_bsize = 4096;
	ia->ia_qdepth = 1;
	ia->ia_runid = 1;
	ia->ia_seed = 1;
}

bool
iotool_clean(const struct iotool_result *ir)
{
	return (ir->ir_errors == 0 && ir->ir_bad_crc == 0 &&
	    ir->ir_bad_blkno == 0 && ir->ir_stale == 0);
}

/* A number with an optional k, m or g (binary) suffix. */
static int
iot_parse_size(char *s, uint64_t *vp)
{
	size_t n = strlen(s);
	u_int shift = 0;
	uint64_t v;
	int error;

	if (n > 1) {
		switch (s[n - 1]) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		default:
			break;
		}
		if (shift != 0)
			s[n - 1] = '\0';
	}
	error = parse_uint64(s, &v);
	if (error != 0)
		return (error);
	if (v > (UINT64_MAX >> shift))
		return (ERANGE);
	*vp = v << shift;
	return (0);
}

static int
iot_parse_kv(char *key, char *val, struct iotool_args *ia, char *disk,
    size_t disklen)
{
	uint64_t v;

	if (strcmp(key, "disk") == 0)
		return (val[0] == '\0' || strlcpy(disk, val, disklen) >= disklen ?
		    EINVAL : 0);
	if (strcmp(key, "op") == 0) {
		if (strcmp(val, "read") == 0)
			ia->ia_cmd = BIO_READ;
		else if (strcmp(val, "write") == 0)
			ia->ia_cmd = BIO_WRITE;
		else
			return (EINVAL);
		return (0);
	}
	if (strcmp(key, "pattern") == 0) {
		if (strcmp(val, "seq") == 0)
			ia->ia_random = false;
		else if (strcmp(val, "rand") == 0)
			ia->ia_random = true;
		else
			return (EINVAL);
		return (0);
	}
	if (iot_parse_size(val, &v) != 0)
		return (EINVAL);
	if (strcmp(key, "bs") == 0 && v > 0 && v <= IOTOOL_BUF_MAX)
		ia->ia_bsize = (size_t)v;
	else if (strcmp(key, "qd") == 0 && v > 0 && v <= IOTOOL_QD_MAX)
		ia->ia_qdepth = (u_int)v;
	else if (strcmp(key, "verify") == 0 && v <= 1)
		ia->ia_verify = v == 1;
	else if (strcmp(key, "count") == 0)
		ia->ia_count = v;
	else if (strcmp(key, "offset") == 0 && v <= INT64_MAX)
		ia->ia_offset = (off_t)v;
	else if (strcmp(key, "length") == 0 && v <= INT64_MAX)
		ia->ia_length = (off_t)v;
	else if (strcmp(key, "time") == 0 && v <= 3600 * 1000)
		ia->ia_time = mstosbt((int64_t)v);
	else if (strcmp(key, "runid") == 0 && v <= UINT32_MAX)
		ia->ia_runid = (uint32_t)v;
	else if (strcmp(key, "seed") == 0)
		ia->ia_seed = v;
	else
		return (EINVAL);
	return (0);
}

int
iotool_parse(const char *spec, struct iotool_args *ia, char *disk,
    size_t disklen)
{
	char buf[SPEC_MAX];
	char *p, *next, *eq;
	int error;

	iotool_args_init(ia);
	if (disklen == 0 || strlcpy(buf, spec, sizeof(buf)) >= sizeof(buf))
		return (EINVAL);
	disk[0] = '\0';
	for (p = buf; p != NULL; p = next) {
		next = strchr(p, ',');
		if (next != NULL)
			*next++ = '\0';
		if (*p == '\0')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL || eq == p)
			return (EINVAL);
		*eq = '\0';
		error = iot_parse_kv(p, eq + 1, ia, disk, disklen);
		if (error != 0)
			return (error);
	}
	return (disk[0] == '\0' ? EINVAL : 0);
}

void
iotool_format(char *buf, size_t len, const char *disk,
    const struct iotool_args *ia, const struct iotool_result *ir)
{
	uint64_t us, mbps100, iops;

	/* bytes per microsecond is MB/s (10^6 bytes per second). */
	us = (uint64_t)sbttous(ir->ir_elapsed);
	if (us == 0)
		us = 1;
	mbps100 = ir->ir_bytes * 100 / us;
	iops = ir->ir_ios * 1000000 / us;
	snprintf(buf, len,
	    "IOTOOL disk=%s op=%s pattern=%s bs=%zu qd=%u verify=%d ios=%ju "
	    "bytes=%ju ms=%ju MB/s=%ju.%02ju iops=%ju p50_us=%ju p99_us=%ju "
	    "max_us=%ju errors=%ju bad_crc=%ju bad_blkno=%ju stale=%ju "
	    "first_bad=%jd",
	    disk, bio_cmd_name((enum bio_cmd)ia->ia_cmd),
	    ia->ia_random ? "rand" : "seq", ia->ia_bsize, ia->ia_qdepth,
	    ia->ia_verify ? 1 : 0, (uintmax_t)ir->ir_ios,
	    (uintmax_t)ir->ir_bytes, (uintmax_t)(us / 1000),
	    (uintmax_t)(mbps100 / 100), (uintmax_t)(mbps100 % 100),
	    (uintmax_t)iops, (uintmax_t)(ir->ir_p50_ns / 1000),
	    (uintmax_t)(ir->ir_p99_ns / 1000), (uintmax_t)(ir->ir_max_ns / 1000),
	    (uintmax_t)ir->ir_errors, (uintmax_t)ir->ir_bad_crc,
	    (uintmax_t)ir->ir_bad_blkno, (uintmax_t)ir->ir_stale,
	    (intmax_t)ir->ir_first_bad);
}
