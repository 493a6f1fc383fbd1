/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A fake hypervisor for hosted tests of the grant-table code: query_size,
 * XENMEM_add_to_physmap of grant frames into a hole, GNTTABOP_copy between
 * our frames and our own grants, and a peer domain that maps our grants the
 * way Xen does (checking type, domain and read-only, setting and clearing
 * GTF_reading/GTF_writing).  The peer reads the table through the frames
 * Xen was told about, never through the code under test.
 */
#ifndef _FAKE_GNTTAB_H_
#define _FAKE_GNTTAB_H_

#include <sys/types.h>

#include <xen/xen.h>
#include <xen/grant_table.h>

#define FAKE_GNT_PEER	3	/* the peer domain */
#define FAKE_GNT_SELF	7	/* our own domain id */
#define FAKE_GNT_BAD_REF 0xbadu	/* a peer's ref the fake refuses to map */

/* Resets the fake (max_frames: the domain's limit) and runs gnttab_init(). */
void	fake_gnt_boot(u_int max_frames, u_int initial_frames);
/* Frames Xen has mapped for us, and where (guest frame numbers). */
u_int	fake_gnt_frames(void);
u_long	fake_gnt_frame_gpfn(u_int idx);
/* Frames ever mapped over RAM (the placement rule broken). */
u_int	fake_gnt_over_ram(void);

/*
 * The peer maps our grant ref (Xen's checks); returns its view of the page
 * or NULL when Xen would refuse.  Unmapping drops its mapping.
 */
void	*fake_gnt_peer_map(grant_ref_t ref, bool writable);
void	fake_gnt_peer_unmap(grant_ref_t ref);

/* Hypercalls seen, by GNTTABOP_* command, and operations they carried. */
u_int	fake_gnt_calls(u_int cmd);
u_int	fake_gnt_ops(u_int cmd);

/* Times the retry callout was armed, and runs it once (as the timer would). */
u_int	fake_gnt_callouts_armed(void);
bool	fake_gnt_run_callout(void);

#endif /* !_FAKE_GNTTAB_H_ */
