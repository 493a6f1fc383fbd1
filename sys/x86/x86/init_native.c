/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Native early hooks: the memory map the loader passed, and an early clock
 * made of the PIT (to calibrate) and the TSC (to count).
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>

#include <x86/init.h>

#define PIT_FREQ	1193182
#define PIT_CH2		0x42
#define PIT_MODE	0x43
#define PIT_GATE	0x61

uint64_t	tsc_freq;

static int
native_parse_memmap(struct bootinfo *bi, struct memmap *mm)
{
	for (int i = 0; i < bi->memmap.count; i++)
		(void)memmap_add(mm, bi->memmap.ent[i].base,
		    bi->memmap.ent[i].len, bi->memmap.ent[i].type);
	return (mm->count > 0 ? 0 : -1);
}

/*
 * Counts TSC ticks over a PIT channel 2 one-shot of 'ticks' PIT periods,
 * polling the output bit (no interrupt needed).
 */
static uint64_t
pit_measure_tsc(u_int ticks)
{
	uint64_t t0, t1;
	uint8_t gate;
	long guard;

	gate = inb(PIT_GATE);
	outb(PIT_GATE, (gate & ~0x02) | 0x01);	/* speaker off, gate on */
	outb(PIT_MODE, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, ticks & 0xff);
	outb(PIT_CH2, (ticks >> 8) & 0xff);
	t0 = rdtsc_ordered();
	for (guard = 0; (inb(PIT_GATE) & 0x20) == 0 && guard < 100000000L; guard++)
		;
	t1 = rdtsc_ordered();
	outb(PIT_GATE, gate);
	return (t1 - t0);
}

static void
native_early_clock_init(void)
{
	uint64_t best = UINT64_MAX;

	/* 10 ms windows; the smallest is the least disturbed by emulation. */
	for (int i = 0; i < 3; i++) {
		uint64_t d = pit_measure_tsc(PIT_FREQ / 100);

		if (d < best)
			best = d;
	}
	tsc_freq = best * 100;
	printf("TSC: %lu Hz (calibrated against the PIT)\n", tsc_freq);
}

static void
native_early_delay(int usec)
{
	uint64_t end;

	if (tsc_freq == 0) {
		/* Before calibration: about 1 us per port read. */
		for (int i = 0; i < usec; i++)
			(void)inb(0x80);
		return;
	}
	end = rdtsc() + tsc_freq / 1000000 * (uint64_t)usec;
	while ((int64_t)(rdtsc() - end) < 0)
		cpu_spinwait();
}

static uint64_t
native_tsc_freq(void)
{
	return (tsc_freq);
}

const struct init_ops native_init_ops = {
	.parse_memmap = native_parse_memmap,
	.early_clock_source_init = native_early_clock_init,
	.early_delay = native_early_delay,
	.tsc_freq = native_tsc_freq,
};

/* The live table starts as the native one; a platform probe may patch it. */
struct init_ops init_ops = {
	.parse_memmap = native_parse_memmap,
	.early_clock_source_init = native_early_clock_init,
	.early_delay = native_early_delay,
	.tsc_freq = native_tsc_freq,
};
