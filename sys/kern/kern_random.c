/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * read_random() and /dev/random, /dev/urandom (1:8, 1:9): see sys/random.h.
 * ChaCha20 as RFC 8439 describes it (20 rounds, 32-bit counter).
 */
#include <sys/types.h>
#include <sys/conf.h>
#include <sys/kernel.h>
#include <sys/mutex.h>
#include <sys/random.h>
#include <sys/systm.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <machine/cpufunc.h>

static struct mtx rnd_mtx;
static uint32_t rnd_key[8];
static uint32_t rnd_nonce[3];
static bool rnd_ready;

#define ROTL(v, n)	((v) << (n) | (v) >> (32 - (n)))
#define QR(a, b, c, d) do {						\
	a += b; d ^= a; d = ROTL(d, 16);				\
	c += d; b ^= c; b = ROTL(b, 12);				\
	a += b; d ^= a; d = ROTL(d, 8);					\
	c += d; b ^= c; b = ROTL(b, 7);					\
} while (0)

void
chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint32_t out[16])
{
	uint32_t s[16], x[16];

	s[0] = 0x61707865;
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	memcpy(&s[4], key, 32);
	s[12] = counter;
	memcpy(&s[13], nonce, 12);
	memcpy(x, s, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + s[i];
}

static bool
rnd_rdrand(uint64_t *v)
{
	uint32_t a, b, c, d;
	unsigned char ok;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
	    : "a"(1), "c"(0));
	if ((c & (1u << 30)) == 0)
		return (false);
	__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
	return (ok != 0);
}

static void
rnd_seed(void)
{
	uint64_t w[8];

	/* Jitter between the TSC and the time counter, several times over. */
	for (int i = 0; i < 8; i++) {
		uint64_t r = 0;

		w[i] = rdtsc() ^ (nanouptime_ns() << 17);
		for (int j = 0; j < 64 + (int)(w[i] & 63); j++)
			w[i] = w[i] * 6364136223846793005ULL + rdtsc();
		if (rnd_rdrand(&r))
			w[i] ^= r;
	}
	memcpy(rnd_key, w, sizeof(rnd_key));
	rnd_nonce[0] = (uint32_t)rdtsc();
}

void
read_random(void *buf, size_t len)
{
	uint32_t blk[16];
	uint8_t *p = buf;
	uint32_t ctr = 1;

	mtx_lock(&rnd_mtx);
	if (!rnd_ready) {
		rnd_seed();
		rnd_ready = true;
	}
	while (len > 0) {
		size_t n = len < 64 ? len : 64;

		chacha20_block(rnd_key, ctr++, rnd_nonce, blk);
		memcpy(p, blk, n);
		p += n;
		len -= n;
		if (ctr == 0) {
			/* 256 GiB in one call: move the nonce on. */
			rnd_nonce[1]++;
			ctr = 1;
		}
	}
	/* Block 0 of this nonce was never handed out: it is the next key. */
	chacha20_block(rnd_key, 0, rnd_nonce, blk);
	memcpy(rnd_key, blk, sizeof(rnd_key));
	memset(blk, 0, sizeof(blk));
	mtx_unlock(&rnd_mtx);
}

static int
random_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	uint8_t buf[256];
	int error = 0;

	while (uio->uio_resid > 0 && error == 0) {
		size_t n = uio->uio_resid > (ssize_t)sizeof(buf) ? sizeof(buf) :
		    (size_t)uio->uio_resid;

		read_random(buf, n);
		error = uiomove(buf, n, uio);
	}
	memset(buf, 0, sizeof(buf));
	return (error);
}

static int
random_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	/* Accepted and dropped: writing does not credit entropy on Linux either. */
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

static const struct cdevsw random_cdevsw = {
	.d_name = "random", .d_read = random_read, .d_write = random_write,
};

static void
random_init(void *arg)
{
	mtx_init(&rnd_mtx, "random", NULL, MTX_DEF);
	make_dev(&random_cdevsw, makedev(1, 8), 0666, "random");
	make_dev(&random_cdevsw, makedev(1, 9), 0666, "urandom");
}
SYSINIT(random_init, SI_SUB_DRIVERS, SI_ORDER_ANY, random_init, NULL);
