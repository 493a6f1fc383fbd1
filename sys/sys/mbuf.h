/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * mbuf(9): packet buffers.  A packet is a chain of mbufs linked by m_next;
 * packets are linked into queues by m_nextpkt of their first mbuf, which
 * carries the packet header (M_PKTHDR: total length, receiving interface,
 * checksum state).  Data lives either inside the mbuf (MLEN bytes, MHLEN
 * with a packet header) or in external storage (M_EXT): a cluster of
 * MCLBYTES, or a page (MJUMPAGESIZE) that is page-aligned, so a device can
 * hand it to a peer as one page.  A cluster never crosses a page boundary.
 *
 * External storage is reference counted: m_copym() shares it, and data in
 * shared storage is read-only (M_WRITABLE() says whether it may be written).
 *
 * Allocation: how = M_NOWAIT (may return NULL; from any context) or
 * M_WAITOK (thread context only; never returns NULL).
 */
#ifndef _SYS_MBUF_H_
#define _SYS_MBUF_H_

#include <sys/param.h>
#include <sys/malloc.h>
#include <sys/types.h>

#define MSIZE		256		/* size of one mbuf */
#define MCLBYTES	2048		/* a cluster */
#define MJUMPAGESIZE	PAGE_SIZE	/* a page cluster, page-aligned */

struct ifnet;

/* Packet header, in the first mbuf of a packet (M_PKTHDR). */
struct pkthdr {
	struct ifnet	*rcvif;		/* receiving interface, or NULL */
	int		len;		/* total length of the chain */
	uint32_t	flowid;		/* queue selector (e.g. rx ring) */
	uint32_t	csum_flags;	/* CSUM_* below */
	uint32_t	csum_data;	/* see CSUM_DATA_VALID */
};

/* External storage. */
struct m_ext {
	char		*ext_buf;	/* start of the storage */
	u_int		ext_size;	/* its size */
	int		ext_type;	/* EXT_* */
	volatile u_int	*ext_cnt;	/* references (shared by copies) */
};

#define EXT_CLUSTER	1		/* MCLBYTES from malloc(9) */
#define EXT_JUMBOP	2		/* one page from the page allocator */

/*
 * The external storage descriptor sits at the same place whether or not the
 * mbuf has a packet header, so an mbuf that stops being a packet's first
 * (m_cat, m_pullup, m_prepend clear M_PKTHDR) keeps its storage.
 */
struct mbuf {
	struct mbuf	*m_next;	/* next mbuf of this packet */
	struct mbuf	*m_nextpkt;	/* next packet in a queue */
	char		*m_data;	/* start of this mbuf's data */
	int		m_len;		/* bytes of data in this mbuf */
	int		m_flags;	/* M_* below */
	short		m_type;		/* MT_* */
	short		m_pad;
	union {
		struct {
			struct pkthdr	m_pkthdr;	/* M_PKTHDR */
			union {
				struct m_ext	m_ext;	/* M_EXT */
				char		m_pktdat[1];
			};
		};
		char		m_dat[1];	/* neither */
	};
};

#define m_ext_of(m)	(&(m)->m_ext)

#define MLEN		((int)(MSIZE - __builtin_offsetof(struct mbuf, m_dat)))
#define MHLEN		((int)(MSIZE - __builtin_offsetof(struct mbuf, m_pktdat)))
#define MINCLSIZE	(MHLEN + 1)	/* smallest size worth a cluster */

/* m_flags */
#define M_EXT		0x0001		/* data in external storage */
#define M_PKTHDR	0x0002		/* first mbuf of a packet */
#define M_EOR		0x0004		/* end of record */
#define M_BCAST		0x0010		/* received as link-level broadcast */
#define M_MCAST		0x0020		/* received as link-level multicast */
#define M_COPYFLAGS	(M_PKTHDR | M_EOR | M_BCAST | M_MCAST)

/* m_type */
#define MT_NOTMBUF	0
#define MT_DATA		1
#define MT_HEADER	MT_DATA

/* how */
#ifndef M_NOWAIT
#define M_NOWAIT	0x0001
#define M_WAITOK	0x0002
#endif

/*
 * Checksum flags (m_pkthdr.csum_flags).
 * Transmit: the stack sets CSUM_IP / CSUM_UDP / CSUM_TCP on a packet whose
 * checksum it left for the device to fill, only when the interface lists
 * the flag in if_hwassist.  csum_data then holds the offset of the L4
 * checksum field from the start of the L4 header.  The pseudo-header sum is
 * already in that field, so a device (or a peer told "checksum blank")
 * completes it over the L4 header and payload.
 * Receive: a device sets the *_CALC flags for what it checked and the
 * *_VALID flags for what was right; CSUM_DATA_VALID | CSUM_PSEUDO_HDR with
 * csum_data 0xffff means the whole L4 checksum was validated (or the peer
 * vouches for the data, e.g. it never left the host).
 */
#define CSUM_IP			0x00000001	/* tx: IPv4 header checksum */
#define CSUM_TCP		0x00000002	/* tx: TCP checksum */
#define CSUM_UDP		0x00000004	/* tx: UDP checksum */
#define CSUM_DELAY_DATA		(CSUM_TCP | CSUM_UDP)
#define CSUM_L3_CALC		0x01000000	/* rx: IP header checked */
#define CSUM_L3_VALID		0x02000000	/* rx: ... and it was right */
#define CSUM_L4_CALC		0x04000000	/* rx: L4 checksum checked */
#define CSUM_L4_VALID		0x08000000	/* rx: ... and it was right */
#define CSUM_DATA_VALID		0x10000000	/* rx: csum_data holds the sum */
#define CSUM_PSEUDO_HDR		0x20000000	/* rx: ... pseudo-header included */

#define mtod(m, t)	((t)((m)->m_data))
#define M_WRITABLE(m)	(!((m)->m_flags & M_EXT) || *m_ext_of(m)->ext_cnt == 1)

/* Start of the mbuf's storage and its size. */
#define M_START(m)							\
	((m)->m_flags & M_EXT ? m_ext_of(m)->ext_buf :			\
	 (m)->m_flags & M_PKTHDR ? (m)->m_pktdat : (m)->m_dat)
#define M_SIZE(m)							\
	((m)->m_flags & M_EXT ? (int)m_ext_of(m)->ext_size :		\
	 (m)->m_flags & M_PKTHDR ? MHLEN : MLEN)
/* Bytes free before m_data and after its data. */
#define M_LEADINGSPACE(m)						\
	(M_WRITABLE(m) ? (int)((m)->m_data - M_START(m)) : 0)
#define M_TRAILINGSPACE(m)						\
	(M_WRITABLE(m) ? (int)(M_START(m) + M_SIZE(m) - (m)->m_data -	\
	    (m)->m_len) : 0)
/* Places len bytes of data at the end of an empty mbuf (room for headers). */
#define M_ALIGN_END(m, len) do {					\
	(m)->m_data = M_START(m) + ((M_SIZE(m) - (len)) & ~(int)7);	\
} while (0)

/* Prepends plen bytes: in place if there is room, else a new mbuf.  On
 * failure m is freed and set to NULL. */
#define M_PREPEND(m, plen, how) do {					\
	int m_plen_ = (int)(plen);					\
	if (M_LEADINGSPACE(m) >= m_plen_) {				\
		(m)->m_data -= m_plen_;					\
		(m)->m_len += m_plen_;					\
		if ((m)->m_flags & M_PKTHDR)				\
			(m)->m_pkthdr.len += m_plen_;			\
	} else								\
		(m) = m_prepend((m), m_plen_, (how));			\
} while (0)

struct mbuf	*m_get(int how, short type);
struct mbuf	*m_gethdr(int how, short type);
/* An mbuf with a cluster of MCLBYTES; flags may include M_PKTHDR. */
struct mbuf	*m_getcl(int how, short type, int flags);
/* An mbuf with external storage of size MCLBYTES or MJUMPAGESIZE. */
struct mbuf	*m_getjcl(int how, short type, int flags, int size);
/* A chain with room for len bytes (M_PKTHDR in flags: a packet). */
struct mbuf	*m_getm(int len, int how, short type, int flags);
/* Frees one mbuf; returns its successor. */
struct mbuf	*m_free(struct mbuf *);
/* Frees a whole chain (NULL is allowed). */
void		m_freem(struct mbuf *);
/* Trims len bytes from the head (len > 0) or the tail (len < 0). */
void		m_adj(struct mbuf *, int len);
/* Makes the first len bytes contiguous in the first mbuf; frees the chain
 * and returns NULL if it cannot (len > MHLEN, short chain, no memory). */
struct mbuf	*m_pullup(struct mbuf *, int len);
void		m_copydata(const struct mbuf *, int off, int len, void *cp);
/* Writes len bytes at off, extending the chain if needed; 0 or ENOBUFS. */
int		m_copyback(struct mbuf *, int off, int len, const void *cp);
/* Appends len bytes at the end; returns 1 on success, 0 on no memory. */
int		m_append(struct mbuf *, int len, const void *cp);
/* Length of the chain by walking it (not trusting m_pkthdr.len). */
u_int		m_length(const struct mbuf *, struct mbuf **last);
struct mbuf	*m_prepend(struct mbuf *, int len, int how);
/* Copies the chain into as few clusters as it takes; the original is freed
 * on success, kept on failure (NULL returned). */
struct mbuf	*m_defrag(struct mbuf *, int how);
/* Appends chain n to chain m (packet header of n dropped). */
void		m_cat(struct mbuf *m, struct mbuf *n);
/* A copy of len bytes from off (M_COPYALL: to the end); storage shared. */
#define M_COPYALL	1000000000
struct mbuf	*m_copym(struct mbuf *, int off, int len, int how);
/* A deep copy of a packet (writable, no shared storage). */
struct mbuf	*m_dup(const struct mbuf *, int how);
/* Splits the chain at len0; returns the tail (a packet if m was), or NULL. */
struct mbuf	*m_split(struct mbuf *, int len0, int how);
/* Copies the packet header of from into to (to must be M_PKTHDR). */
void		m_dup_pkthdr(struct mbuf *to, const struct mbuf *from);
/* Checks the chain's structure (lengths, header); 0 or EINVAL. */
int		m_sanity(const struct mbuf *, bool pkthdr);

/* Counters (read by netstat-like reports and tests). */
struct mbstat {
	u_long	m_mbufs;	/* mbufs in use */
	u_long	m_clusters;	/* clusters in use */
	u_long	m_pages;	/* page clusters in use */
	u_long	m_drops;	/* M_NOWAIT allocations that failed */
};
extern struct mbstat	mbstat;

MALLOC_DECLARE(M_MBUF);

#endif /* !_SYS_MBUF_H_ */
