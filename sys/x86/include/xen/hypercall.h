/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Hypercalls through the hypercall page (x86-64 ABI: number selects a
 * 32-byte stub; arguments in rdi, rsi, rdx, r10, r8; result in rax).  The
 * typed wrappers below are the only way the rest of the kernel reaches Xen.
 */
#ifndef _X86_XEN_HYPERCALL_H_
#define _X86_XEN_HYPERCALL_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>

extern char	hypercall_page[];

#define _HYPERCALL_STUB(op)	((uintptr_t)hypercall_page + (uintptr_t)(op) * 32)

static inline long
_hypercall5(u_int op, u_long a1, u_long a2, u_long a3, u_long a4, u_long a5)
{
	register u_long r10 __asm__("r10") = a4;
	register u_long r8 __asm__("r8") = a5;
	long ret;

	__asm__ __volatile__("call *%[stub]"
	    : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
	    : [stub] "r"(_HYPERCALL_STUB(op))
	    : "memory", "rcx", "r9", "r11");
	return (ret);
}

#define _hypercall1(op, a)		_hypercall5(op, (u_long)(a), 0, 0, 0, 0)
#define _hypercall2(op, a, b)		_hypercall5(op, (u_long)(a), (u_long)(b), 0, 0, 0)
#define _hypercall3(op, a, b, c)	_hypercall5(op, (u_long)(a), (u_long)(b), (u_long)(c), 0, 0)

static inline int
HYPERVISOR_sched_op(int cmd, void *arg)
{
	return ((int)_hypercall2(__HYPERVISOR_sched_op, cmd, arg));
}

static inline int
HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{
	return ((int)_hypercall3(__HYPERVISOR_console_io, cmd, count, buf));
}

static inline int
HYPERVISOR_xen_version(int cmd, void *arg)
{
	return ((int)_hypercall2(__HYPERVISOR_xen_version, cmd, arg));
}

static inline int
HYPERVISOR_memory_op(u_int cmd, void *arg)
{
	return ((int)_hypercall2(__HYPERVISOR_memory_op, cmd, arg));
}

static inline int
HYPERVISOR_hvm_op(int cmd, void *arg)
{
	return ((int)_hypercall2(__HYPERVISOR_hvm_op, cmd, arg));
}

static inline int
HYPERVISOR_vcpu_op(int cmd, u_int vcpu, void *arg)
{
	return ((int)_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg));
}

static inline int
HYPERVISOR_grant_table_op(u_int cmd, void *ops, u_int count)
{
	return ((int)_hypercall3(__HYPERVISOR_grant_table_op, cmd, ops, count));
}

static inline int
HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return ((int)_hypercall2(__HYPERVISOR_event_channel_op, cmd, arg));
}

#endif /* !_X86_XEN_HYPERCALL_H_ */
