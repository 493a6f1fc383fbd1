/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel-side half of the hosted shim, compiled against the kernel
 * headers: the globals and hooks the machine-independent files expect from
 * the machine-dependent kernel, and panic().
 */
#include <sys/param.h>
#include <sys/bootinfo.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/pcpu.h>
#include <sys/physmem.h>
#include <sys/proc.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/vmparam.h>

#include <stdarg.h>

#include "kunit.h"

struct thread	thread0;
struct pcpu	hosted_pcpu = { .pc_curthread = &thread0 };
register_t	hosted_rflags = PSL_I;	/* a test starts with interrupts on */
struct bootinfo	bootinfo;
struct memmap	phys_memmap;
char		hosted_kimage[HOSTED_KIMAGE_SIZE];
uintptr_t	hosted_dmap_base;
u_int		mp_ncpus = 1;
const char	*panicstr;

void		*kunit_panic_jb[5];
bool		kunit_panic_armed;
char		kunit_panic_msg[256];

/* libc side (hosted_shim.c). */
void	*hosted_alloc_pages(size_t len);
void	hosted_abort_test(const char *msg) __dead2;

SET_DECLARE(sysinit_set, struct sysinit);

vm_paddr_t
hosted_kva_to_phys(const void *va)
{
	return (KERNLOAD + (vm_paddr_t)((const char *)va - hosted_kimage));
}

void
kern_yield(void)
{
}

/* Tests set it to stand for "inside an interrupt handler". */
u_int		hosted_intr_depth;

u_int
intr_nesting(void)
{
	return (hosted_intr_depth);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kunit_panic_msg, sizeof(kunit_panic_msg), fmt, ap);
	va_end(ap);
	if (kunit_panic_armed) {
		kunit_panic_armed = false;
		__builtin_longjmp(kunit_panic_jb, 1);
	}
	hosted_abort_test(kunit_panic_msg);
}

void
kunit_sysinit(int last)
{
	const struct sysinit *order[64];
	struct sysinit **sipp;
	int n = 0;

	hosted_pcpu.pc_curthread = &thread0;
	SET_FOREACH(sipp, sysinit_set) {
		int i;

		if ((int)(*sipp)->subsystem > last)
			continue;
		if (n == (int)nitems(order))
			panic("kunit_sysinit: too many SYSINITs");
		for (i = n; i > 0 && ((*sipp)->subsystem <
		    order[i - 1]->subsystem || ((*sipp)->subsystem ==
		    order[i - 1]->subsystem && (*sipp)->order <
		    order[i - 1]->order)); i--)
			order[i] = order[i - 1];
		order[i] = *sipp;
		n++;
	}
	for (int i = 0; i < n; i++)
		order[i]->func((void *)(uintptr_t)order[i]->udata);
}

void
kunit_ram(vm_paddr_t base, vm_size_t len)
{
	char *mem = hosted_alloc_pages(len);

	hosted_dmap_base = (uintptr_t)mem - (uintptr_t)base;
	phys_memmap.count = 0;
	memmap_add(&phys_memmap, base, len, MEMMAP_RAM);
}
