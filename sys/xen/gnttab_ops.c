/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Grant operations Xen performs for us: copies (GNTTABOP_copy) and the
 * mapping of a peer's grants (GNTTABOP_map_grant_ref / unmap_grant_ref),
 * sent in batches so that a long list costs few hypercalls.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <machine/xen/hypercall.h>

#include <xen/gnttab.h>
#include <xen/xen_guest.h>

/* Operations per hypercall: bounds the time Xen spends in one call. */
#define GNT_OP_BATCH	64

/*
 * Peer grants mapped through us and not unmapped yet: a leak check's count,
 * independent of what each backend believes it holds.
 */
static u_int	gnt_maps_live;

/* Maps a per-operation GNTST_* status to an errno value. */
static int
gnt_status_errno(int16_t st)
{
	switch (st) {
	case GNTST_okay:
		return (0);
	case GNTST_bad_domain:
		return (ESRCH);
	case GNTST_bad_gntref:
	case GNTST_bad_handle:
		return (ENOENT);
	case GNTST_permission_denied:
		return (EPERM);
	case GNTST_bad_page:
	case GNTST_bad_copy_arg:
	case GNTST_bad_virt_addr:
	case GNTST_bad_dev_addr:
		return (EFAULT);
	case GNTST_no_device_space:
		return (ENOSPC);
	case GNTST_eagain:
		return (EAGAIN);
	default:
		return (EIO);
	}
}

/*
 * Issues n operations of one kind in batches of GNT_OP_BATCH: the hypercall's
 * own error, or else the first failed operation's status, as an errno.
 */
static int
gnt_batch_ops(u_int cmd, void *ops, size_t size, size_t status_off, u_int n)
{
	char *p = ops;
	int error, first = 0;

	for (u_int i = 0; i < n; i += GNT_OP_BATCH) {
		u_int cnt = MIN(n - i, GNT_OP_BATCH);

		error = HYPERVISOR_grant_table_op(cmd, p + i * size, cnt);
		if (error != 0)
			return (xen_to_errno(error));
		for (u_int j = i; j < i + cnt && first == 0; j++)
			first = gnt_status_errno(*(const int16_t *)(p + j * size +
			    status_off));
	}
	return (first);
}

/* Every grant operation's status is an int16_t named status. */
#define gnt_batch(cmd, ops, n)						\
	gnt_batch_ops((cmd), (ops), sizeof(*(ops)),			\
	    __builtin_offsetof(__typeof__(*(ops)), status), (n))
CTASSERT(sizeof(((struct gnttab_copy *)0)->status) == sizeof(int16_t));
CTASSERT(sizeof(((struct gnttab_map_grant_ref *)0)->status) == sizeof(int16_t));
CTASSERT(sizeof(((struct gnttab_unmap_grant_ref *)0)->status) == sizeof(int16_t));

int
gnttab_copy(struct gnttab_copy *ops, u_int n)
{

	/* Checked here too: one bad op would fail the whole batch in Xen. */
	for (u_int i = 0; i < n; i++) {
		if (ops[i].len == 0 ||
		    ops[i].source.offset + ops[i].len > PAGE_SIZE ||
		    ops[i].dest.offset + ops[i].len > PAGE_SIZE) {
			ops[i].status = GNTST_bad_copy_arg;
			return (EINVAL);
		}
	}
	return (gnt_batch(GNTTABOP_copy, ops, n));
}

/* Counts the operations of a batch Xen carried out (status okay). */
#define gnt_okay(ops, n) ({						\
	u_int _ok = 0;							\
	for (u_int _i = 0; _i < (n); _i++)				\
		_ok += (ops)[_i].status == GNTST_okay;			\
	_ok;								\
})

int
gnttab_map(struct gnttab_map_grant_ref *ops, u_int n)
{
	int error;

	for (u_int i = 0; i < n; i++)
		ops[i].status = GNTST_general_error;
	error = gnt_batch(GNTTABOP_map_grant_ref, ops, n);
	__atomic_add_fetch(&gnt_maps_live, gnt_okay(ops, n), __ATOMIC_RELAXED);
	return (error);
}

int
gnttab_unmap(struct gnttab_unmap_grant_ref *ops, u_int n)
{
	int error;

	for (u_int i = 0; i < n; i++)
		ops[i].status = GNTST_general_error;
	error = gnt_batch(GNTTABOP_unmap_grant_ref, ops, n);
	__atomic_sub_fetch(&gnt_maps_live, gnt_okay(ops, n), __ATOMIC_RELAXED);
	return (error);
}

u_int
gnttab_maps_live(void)
{
	return (__atomic_load_n(&gnt_maps_live, __ATOMIC_RELAXED));
}
