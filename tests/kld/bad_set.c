/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A module carrying a file system (vfsops_set), a linker set nothing
 * reads after boot: kld(4) refuses it rather than ignore it.
 */
#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/mount.h>
#include <sys/systm.h>

MODULE_VERSION(bad_set, 1);

static const struct vfsops bad_set_vfsops = { .vfs_name = "badfs" };
VFS_REGISTER(bad_set_vfsops);

static void
bad_set_init(void *arg __unused)
{
	panic("bad_set: a refused module ran");
}
SYSINIT(bad_set, SI_SUB_DRIVERS, SI_ORDER_ANY, bad_set_init, NULL);
