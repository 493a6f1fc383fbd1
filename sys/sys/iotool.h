/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The in-kernel I/O tool (iotool(9)): sequential or random reads or writes
 * of one block size on a disk with a number of bios kept in flight, timed
 * with the kernel time counter.  In integrity mode every written block
 * carries its block number, a run id and a CRC-32, and every block read is
 * verified against them.
 */
#ifndef _SYS_IOTOOL_H_
#define _SYS_IOTOOL_H_

#include <sys/types.h>

struct disk;

#define IOTOOL_QD_MAX		256
#define IOTOOL_BUF_MAX		(16 * 1024 * 1024)	/* qdepth * bsize */

struct iotool_args {
	int		ia_cmd;		/* BIO_READ or BIO_WRITE */
	bool		ia_random;	/* uniform random blocks, else in order */
	bool		ia_verify;	/* integrity mode */
	size_t		ia_bsize;	/* a multiple of the sector size */
	u_int		ia_qdepth;	/* bios in flight, 1..IOTOOL_QD_MAX */
	off_t		ia_offset;	/* region start, a multiple of bsize */
	off_t		ia_length;	/* region length; 0: to the end */
	uint64_t	ia_count;	/* bios; 0: the region's block count */
	sbintime_t	ia_time;	/* if > 0: stop issuing after this long */
	uint32_t	ia_runid;	/* written into, expected from, blocks */
	uint64_t	ia_seed;	/* random pattern */
};

struct iotool_result {
	uint64_t	ir_ios;		/* bios completed */
	uint64_t	ir_bytes;	/* transferred */
	uint64_t	ir_errors;	/* bios that completed with an error */
	int		ir_first_error;
	uint64_t	ir_bad_crc;	/* integrity: content damaged */
	uint64_t	ir_bad_blkno;	/* intact block at the wrong place */
	uint64_t	ir_stale;	/* intact block of another run */
	int64_t		ir_first_bad;	/* block number, -1 if none */
	u_int		ir_max_inflight;
	sbintime_t	ir_elapsed;
	uint64_t	ir_p50_ns;
	uint64_t	ir_p99_ns;
	uint64_t	ir_max_ns;
};

/* Fills in the defaults: read, sequential, 4 KiB, QD 1, one pass. */
void	iotool_args_init(struct iotool_args *);
/*
 * Runs a pattern to completion; 0 (mismatches and failed bios are counted
 * in the result, not returned), EINVAL for arguments the disk cannot take,
 * ENOMEM.  Thread context.
 */
int	iotool_run(struct disk *, const struct iotool_args *, struct iotool_result *);
/* True if the result shows no failed bio and no integrity mismatch. */
bool	iotool_clean(const struct iotool_result *);
/*
 * The tests' whole-disk integrity pass: a sequential run over all of the
 * disk in bsize blocks at depth qd, writing (BIO_WRITE) or checking
 * (BIO_READ) blocks of run id runid.  iotool_run()'s return value.
 */
int	iotool_verify_run(struct disk *, int cmd, size_t bsize, u_int qd,
	    uint32_t runid, struct iotool_result *);

/*
 * One run's specification, "disk=md0,op=write,pattern=rand,bs=4k,qd=32,
 * verify=1,count=N,offset=N,length=N,time=MS,runid=N,seed=N"; 0 or EINVAL.
 * Pure.
 */
int	iotool_parse(const char *spec, struct iotool_args *, char *disk,
	    size_t disklen);
/* The one result line ("IOTOOL disk=... MB/s=... p99_us=..."). */
void	iotool_format(char *buf, size_t len, const char *disk,
	    const struct iotool_args *, const struct iotool_result *);

/* Integrity blocks (pure). */
#define IOTOOL_BLK_MAGIC	0x424c4f49u	/* "IOLB" */
struct iotool_blkhdr {
	uint32_t	bh_magic;
	uint32_t	bh_crc;		/* CRC-32 of the block, this field as 0 */
	uint64_t	bh_blkno;	/* offset / block size */
	uint32_t	bh_runid;
	uint32_t	bh_bsize;
};
enum iotool_blk_verdict {
	IOTOOL_BLK_OK,
	IOTOOL_BLK_BADCRC,	/* or no block header at all */
	IOTOOL_BLK_BADBLKNO,
	IOTOOL_BLK_STALE
};
/* Fills a block: header, then a pattern derived from blkno and runid. */
void	iotool_blk_fill(void *blk, size_t bsize, uint64_t blkno, uint32_t runid);
enum iotool_blk_verdict iotool_blk_check(const void *blk, size_t bsize,
	    uint64_t blkno, uint32_t runid);
/* The CRC a block's header should hold. */
uint32_t iotool_blk_crc(const void *blk, size_t bsize);

#endif /* !_SYS_IOTOOL_H_ */
