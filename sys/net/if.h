/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Network interface constants shared by drivers and the stack (see ifnet(9)).
 */
#ifndef _NET_IF_H_
#define _NET_IF_H_

#define IFNAMSIZ	16

/* if_flags */
#define IFF_UP		0x0001		/* administratively up */
#define IFF_BROADCAST	0x0002		/* broadcast address valid */
#define IFF_LOOPBACK	0x0008		/* frames sent come back in */
#define IFF_RUNNING	0x0040		/* driver resources allocated */
#define IFF_PROMISC	0x0100		/* accept frames for any address */
#define IFF_SIMPLEX	0x0800		/* cannot hear its own transmissions */
#define IFF_MULTICAST	0x8000

/* if_capabilities / if_capenable */
#define IFCAP_RXCSUM	0x00001		/* validates IPv4/UDP/TCP checksums on rx */
#define IFCAP_TXCSUM	0x00002		/* fills IPv4/UDP/TCP checksums on tx */
#define IFCAP_SG	0x00004		/* sends chains of mbufs (gather) */
#define IFCAP_TSO4	0x00100		/* TCP segmentation offload */
#define IFCAP_JUMBO_MTU	0x00020
#define IFCAP_LINKSTATE	0x80000		/* reports link state changes */

/* if_link_state */
#define LINK_STATE_UNKNOWN	0
#define LINK_STATE_DOWN		1
#define LINK_STATE_UP		2

/* if_type (IFT_*) */
#define IFT_ETHER	0x06
#define IFT_LOOP	0x18

#endif /* !_NET_IF_H_ */
