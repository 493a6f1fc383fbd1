/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The Xen implementations of the machine hooks, installed by the early Xen
 * probe (sys/x86/xen/xen_early.c) or by xenhvm.ko's late one.
 */
#ifndef _X86_XEN_XEN_HOOKS_H_
#define _X86_XEN_XEN_HOOKS_H_

#include <sys/types.h>

struct bootinfo;
struct memmap;

/*
 * The probe's two halves, shared by the early probe and xenhvm.ko's late
 * one: Xen found by CPUID (the xen_guest fields, the HVM test, the
 * hypercall page; false if not on Xen), then the port 0xe9 console and
 * the apic_ops, cpu_ops and power_ops of a guest on Xen.
 */
bool	xen_guest_detect(const struct bootinfo *bi);
void	xen_guest_hooks_install(void);

/* init_ops.parse_memmap: the pseudo-physical map from XENMEM_memory_map. */
int	xen_parse_memmap(struct bootinfo *, struct memmap *);
/* Number of entries XENMEM_memory_map returned at boot (for tests). */
extern int	xen_memmap_entries;

/* Guest-physical pages in a memory-map hole, for Xen to map into. */
vm_paddr_t	xen_hole_alloc(u_long npages);
/* Maps shared_info into a hole (once; later calls do nothing). */
int	xen_shared_info_map(void);
/* Where shared_info was placed (0 if not mapped). */
extern vm_paddr_t	xen_shared_info_pa;
/* Registers this CPU's vcpu_info with Xen and sets its upcall vector. */
int	xen_cpu_setup(u_int cpu);
/* The upcall vector (0 if the global callback is used). */
extern u_int	xen_upcall_vector;
extern bool	xen_upcall_percpu;
/*
 * True when events come through the Xen platform device's PCI INTx (HVM,
 * no vector callback): Xen then signals vCPU 0 only.
 */
extern bool	xen_upcall_intx;
/* Upcalls taken from the INTx line (for tests). */
uint64_t	xen_upcall_intx_count(void);
/*
 * The platform device driver's side of the INTx callback: registers VIA (an
 * HVM_PARAM_CALLBACK_IRQ value of type PCI INTx or GSI) with Xen.  The
 * interrupt filter runs the upcall when vCPU 0 has one pending.
 */
/*
 * True on HVM until HVM_PARAM_CALLBACK_IRQ holds one of ours: with the
 * per-vCPU vector and the vector type refused, the platform device's line
 * is registered anyway, since the toolstack takes a guest without a
 * callback for one without PV drivers (Xen prefers the per-vCPU vector).
 */
bool	xen_upcall_needs_via(void);
int	xen_upcall_intx_register(uint64_t via);
int	xen_upcall_intx_filter(void *arg);
/* The value registered (0 before). */
uint64_t	xen_upcall_intx_via(void);
uint64_t	xen_upcall_counter(u_int cpu);
int	xen_upcall_init(void);
int	xen_upcall_cpu_setup(u_int cpu);

/* PV clock: Xen system time in ns, monotonic across CPUs. */
uint64_t	xen_pvclock_ns(void);
uint64_t	xen_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);
/* init_ops.early_delay under Xen: busy-waits on the PV clock. */
void		xen_pvclock_delay(int usec);

/* The Xen hook tables installed by the early probe. */
struct apic_ops;
struct cpu_ops;
extern const struct apic_ops	xen_apic_ops;
/* The native table the early probe replaced. */
extern struct apic_ops		xen_native_apic_ops;
/* Installs the local-APIC table of the INTx mode (xen_apic_intx.c). */
void	xen_apic_intx_install(void);
extern const struct cpu_ops	xen_cpu_ops;
/* IPI events received by a CPU (for tests). */
uint64_t	xen_ipi_count(u_int cpu);

#endif /* !_X86_XEN_XEN_HOOKS_H_ */
