/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * mbuf(9): allocation and chain operations.  mbufs and 2 KiB clusters come
 * from malloc(9); page clusters from the page allocator, so they are page
 * aligned (a device may hand one to a peer as a whole page).  The
 * reference count of external storage is shared by every mbuf pointing
 * into that storage (m_copym, m_split), so no mbuf has to outlive the
 * others: it sits right after a 2 KiB cluster, in a small allocation of
 * its own for a page cluster.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/physmem.h>
#include <sys/systm.h>

#include <machine/atomic.h>
#include <machine/vmparam.h>

MALLOC_DEFINE(M_MBUF, "mbuf", "network packet buffers");

struct mbstat	mbstat;

CTASSERT(sizeof(struct mbuf) <= MSIZE);
CTASSERT(MHLEN >= 160);

static void
mb_count(volatile u_long *c, long d)
{
	__atomic_fetch_add(c, d, __ATOMIC_RELAXED);
}

static struct mbuf *
mb_alloc(int how, short type, int flags)
{
	struct mbuf *m;

	m = malloc(MSIZE, M_MBUF, how == M_WAITOK ? M_WAITOK : M_NOWAIT);
	if (m == NULL) {
		mb_count(&mbstat.m_drops, 1);
		return (NULL);
	}
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_len = 0;
	m->m_flags = flags & M_PKTHDR;
	m->m_type = type;
	m->m_pad = 0;
	if (flags & M_PKTHDR) {
		memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
		m->m_data = m->m_pktdat;
	} else
		m->m_data = m->m_dat;
	mb_count(&mbstat.m_mbufs, 1);
	return (m);
}

struct mbuf *
m_get(int how, short type)
{
	return (mb_alloc(how, type, 0));
}

struct mbuf *
m_gethdr(int how, short type)
{
	return (mb_alloc(how, type, M_PKTHDR));
}

struct mbuf *
m_getjcl(int how, short type, int flags, int size)
{
	struct mbuf *m;
	struct m_ext *ext;
	u_int *cnt;
	char *buf;
	int ext_type;

	KASSERT(size == MCLBYTES || size == MJUMPAGESIZE,
	    ("m_getjcl: size %d", size));
	m = mb_alloc(how, type, flags);
	if (m == NULL)
		return (NULL);
	if (size == MCLBYTES) {
		/* malloc's bucket for this is a whole page anyway: the
		 * reference count rides after the cluster, one call less. */
		buf = malloc(MCLBYTES + sizeof(*cnt), M_MBUF, M_NOWAIT);
		cnt = buf != NULL ? (u_int *)(buf + MCLBYTES) : NULL;
		ext_type = EXT_CLUSTER;
	} else {
		vm_paddr_t pa = phys_alloc_page();

		buf = pa == PHYS_NONE ? NULL : (char *)PHYS_TO_DMAP(pa);
		cnt = malloc(sizeof(*cnt), M_MBUF, M_NOWAIT);
		ext_type = EXT_JUMBOP;
	}
	if (cnt == NULL || buf == NULL) {
		if (ext_type == EXT_JUMBOP) {
			if (buf != NULL)
				phys_free_page(DMAP_TO_PHYS((vm_offset_t)buf));
			free(cnt, M_MBUF);
		}
		m_free(m);
		mb_count(&mbstat.m_drops, 1);
		if (how == M_WAITOK)
			panic("m_getjcl: out of memory");
		return (NULL);
	}
	/* A 2 KiB cluster after malloc's 16-byte header stays in its page. */
	KASSERT(((uintptr_t)buf & PAGE_MASK) + (u_int)size + sizeof(*cnt) <=
	    PAGE_SIZE || ext_type == EXT_JUMBOP,
	    ("m_getjcl: cluster %p crosses a page", buf));
	KASSERT(((uintptr_t)buf & PAGE_MASK) + (u_int)size <= PAGE_SIZE,
	    ("m_getjcl: cluster %p crosses a page", buf));
	*cnt = 1;
	m->m_flags |= M_EXT;
	ext = m_ext_of(m);
	ext->ext_buf = buf;
	ext->ext_size = (u_int)size;
	ext->ext_type = ext_type;
	ext->ext_cnt = cnt;
	m->m_data = buf;
	mb_count(ext_type == EXT_CLUSTER ? &mbstat.m_clusters : &mbstat.m_pages,
	    1);
	return (m);
}

struct mbuf *
m_getcl(int how, short type, int flags)
{
	return (m_getjcl(how, type, flags, MCLBYTES));
}

struct mbuf *
m_getm(int len, int how, short type, int flags)
{
	struct mbuf *top = NULL, **mp = &top, *m;
	int left = len;

	KASSERT(len >= 0, ("m_getm: len %d", len));
	do {
		if (left > MINCLSIZE - 1 || (top == NULL && left > MHLEN))
			m = m_getcl(how, type, top == NULL ? flags : 0);
		else
			m = mb_alloc(how, type, top == NULL ? flags : 0);
		if (m == NULL) {
			m_freem(top);
			return (NULL);
		}
		*mp = m;
		mp = &m->m_next;
		left -= M_SIZE(m);
	} while (left > 0);
	return (top);
}

static void
mb_ext_free(struct mbuf *m)
{
	struct m_ext *ext = m_ext_of(m);

	if (__atomic_sub_fetch(ext->ext_cnt, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (ext->ext_type == EXT_CLUSTER) {
		free(ext->ext_buf, M_MBUF);	/* the count goes with it */
		mb_count(&mbstat.m_clusters, -1);
	} else {
		phys_free_page(DMAP_TO_PHYS((vm_offset_t)ext->ext_buf));
		free((u_int *)(uintptr_t)ext->ext_cnt, M_MBUF);
		mb_count(&mbstat.m_pages, -1);
	}
}

struct mbuf *
m_free(struct mbuf *m)
{
	struct mbuf *n = m->m_next;

	KASSERT(m->m_type != MT_NOTMBUF, ("m_free: %p freed twice", m));
	if (m->m_flags & M_EXT)
		mb_ext_free(m);
	m->m_type = MT_NOTMBUF;
	free(m, M_MBUF);
	mb_count(&mbstat.m_mbufs, -1);
	return (n);
}

void
m_freem(struct mbuf *m)
{
	while (m != NULL)
		m = m_free(m);
}

void
m_dup_pkthdr(struct mbuf *to, const struct mbuf *from)
{
	KASSERT(to->m_flags & M_PKTHDR, ("m_dup_pkthdr: no header"));
	to->m_pkthdr = from->m_pkthdr;
	to->m_flags = (to->m_flags & M_EXT) | (from->m_flags & M_COPYFLAGS) |
	    M_PKTHDR;
}

u_int
m_length(const struct mbuf *m, struct mbuf **last)
{
	u_int len = 0;
	const struct mbuf *l = m;

	for (; m != NULL; m = m->m_next) {
		len += (u_int)m->m_len;
		l = m;
	}
	if (last != NULL)
		*last = (struct mbuf *)(uintptr_t)l;
	return (len);
}

void
m_adj(struct mbuf *mp, int req_len)
{
	struct mbuf *m;
	int len = req_len;

	if (mp == NULL)
		return;
	if (len >= 0) {
		for (m = mp; m != NULL && len > 0; m = m->m_next) {
			int n = MIN(len, m->m_len);

			m->m_len -= n;
			m->m_data += n;
			len -= n;
		}
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= req_len - len;
	} else {
		u_int total = m_length(mp, NULL);
		u_int keep;

		len = -len;
		keep = (u_int)len >= total ? 0 : total - (u_int)len;
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len = (int)keep;
		for (m = mp; m != NULL; m = m->m_next) {
			if ((u_int)m->m_len >= keep) {
				m->m_len = (int)keep;
				keep = 0;
				/* Later mbufs keep no data but stay chained. */
				for (struct mbuf *t = m->m_next; t != NULL;
				    t = t->m_next)
					t->m_len = 0;
				break;
			}
			keep -= (u_int)m->m_len;
		}
	}
}

struct mbuf *
m_pullup(struct mbuf *n, int len)
{
	struct mbuf *m;
	int count, space;

	if (n->m_len >= len)
		return (n);
	/* Room in the first mbuf itself (writable, data can be moved up). */
	if (len <= M_SIZE(n) && M_WRITABLE(n) && n->m_next != NULL) {
		m = n;
		n = n->m_next;
		len -= m->m_len;
		if (M_TRAILINGSPACE(m) < len) {
			memmove(M_START(m), m->m_data, (size_t)m->m_len);
			m->m_data = M_START(m);
		}
	} else {
		if (len > MHLEN)
			goto bad;
		m = mb_alloc(M_NOWAIT, n->m_type, n->m_flags & M_PKTHDR);
		if (m == NULL)
			goto bad;
		if (n->m_flags & M_PKTHDR) {
			m_dup_pkthdr(m, n);
			n->m_flags &= ~M_PKTHDR;
		}
	}
	space = M_TRAILINGSPACE(m);
	do {
		count = MIN(MIN(space, len), n->m_len);
		memcpy(m->m_data + m->m_len, n->m_data, (size_t)count);
		len -= count;
		m->m_len += count;
		n->m_len -= count;
		n->m_data += count;
		space -= count;
		if (n->m_len == 0)
			n = m_free(n);
	} while (len > 0 && n != NULL);
	m->m_next = n;
	if (len > 0) {
		m_freem(m);
		return (NULL);
	}
	return (m);
bad:
	m_freem(n);
	return (NULL);
}

void
m_copydata(const struct mbuf *m, int off, int len, void *cp)
{
	char *d = cp;

	KASSERT(off >= 0 && len >= 0, ("m_copydata: off %d len %d", off, len));
	while (m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		int n;

		KASSERT(m != NULL, ("m_copydata: chain too short"));
		n = MIN(m->m_len - off, len);
		memcpy(d, m->m_data + off, (size_t)n);
		d += n;
		len -= n;
		off = 0;
		m = m->m_next;
	}
}

int
m_copyback(struct mbuf *m0, int off, int len, const void *cp)
{
	static const char zeros[64];
	struct mbuf *m;
	const char *s = cp;
	u_int total = m_length(m0, NULL);

	KASSERT(off >= 0 && len >= 0, ("m_copyback: off %d len %d", off, len));
	/* Grow the chain first (zeros), then write over existing data. */
	while (total < (u_int)(off + len)) {
		int n = MIN((int)sizeof(zeros), off + len - (int)total);

		if (!m_append(m0, n, zeros))
			return (ENOBUFS);
		total += (u_int)n;
	}
	for (m = m0; off >= m->m_len; m = m->m_next)
		off -= m->m_len;
	while (len > 0) {
		int n = MIN(m->m_len - off, len);

		KASSERT(M_WRITABLE(m), ("m_copyback: shared storage"));
		memcpy(m->m_data + off, s, (size_t)n);
		s += n;
		len -= n;
		off = 0;
		m = m->m_next;
	}
	return (0);
}

int
m_append(struct mbuf *m0, int len, const void *cp)
{
	struct mbuf *m = m0, *t, *n;
	const char *s = cp;
	int remainder = len;

	/* The data ends in the last non-empty mbuf; empty ones after it (a
	 * chain from m_getm) are room to fill before allocating more. */
	for (t = m0; t != NULL; t = t->m_next)
		if (t->m_len > 0)
			m = t;
	while (remainder > 0) {
		int space = M_TRAILINGSPACE(m);

		if (space > 0) {
			space = MIN(space, remainder);
			memcpy(m->m_data + m->m_len, s, (size_t)space);
			m->m_len += space;
			s += space;
			remainder -= space;
			continue;
		}
		if (m->m_next != NULL) {
			m = m->m_next;
			continue;
		}
		n = remainder > MLEN ? m_getcl(M_NOWAIT, m->m_type, 0) :
		    m_get(M_NOWAIT, m->m_type);
		if (n == NULL)
			break;
		m->m_next = n;
		m = n;
	}
	/* No empty mbufs left dangling after the data. */
	if (remainder == 0 && m->m_next != NULL) {
		m_freem(m->m_next);
		m->m_next = NULL;
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len += len - remainder;
	return (remainder == 0);
}

struct mbuf *
m_prepend(struct mbuf *m, int len, int how)
{
	struct mbuf *mn;

	KASSERT(len <= MHLEN, ("m_prepend: %d bytes", len));
	mn = mb_alloc(how, m->m_type, m->m_flags & M_PKTHDR);
	if (mn == NULL) {
		m_freem(m);
		return (NULL);
	}
	if (m->m_flags & M_PKTHDR) {
		m_dup_pkthdr(mn, m);
		m->m_flags &= ~M_PKTHDR;
	}
	mn->m_next = m;
	m = mn;
	if (len < M_SIZE(m))
		M_ALIGN_END(m, len);
	m->m_len = len;
	if (m->m_flags & M_PKTHDR)
		m->m_pkthdr.len += len;
	return (m);
}

void
m_cat(struct mbuf *m, struct mbuf *n)
{
	while (m->m_next != NULL)
		m = m->m_next;
	while (n != NULL) {
		if ((n->m_flags & M_PKTHDR) != 0)
			n->m_flags &= ~(M_PKTHDR | M_COPYFLAGS);
		/* Small tails are copied into the last mbuf's room. */
		if (!(n->m_flags & M_EXT) && M_TRAILINGSPACE(m) >= n->m_len) {
			memcpy(m->m_data + m->m_len, n->m_data,
			    (size_t)n->m_len);
			m->m_len += n->m_len;
			n = m_free(n);
			continue;
		}
		m->m_next = n;
		m = n;
		n = m->m_next;
	}
}

struct mbuf *
m_copym(struct mbuf *m, int off, int len, int how)
{
	struct mbuf *top = NULL, **np = &top, *n;
	bool copyhdr = off == 0 && (m->m_flags & M_PKTHDR);
	int total = 0;

	KASSERT(off >= 0 && len >= 0, ("m_copym: off %d len %d", off, len));
	while (m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0 && m != NULL) {
		if (m->m_len - off <= 0) {
			/* Empty mbufs are not copied (a driver would send an
			 * empty slot for each). */
			m = m->m_next;
			off = 0;
			continue;
		}
		n = mb_alloc(how, m->m_type, copyhdr ? M_PKTHDR : 0);
		if (n == NULL)
			goto nospace;
		if (copyhdr) {
			m_dup_pkthdr(n, m);
			copyhdr = false;
		}
		n->m_len = MIN(len, m->m_len - off);
		if (m->m_flags & M_EXT) {
			struct m_ext *src = m_ext_of(m);

			n->m_flags |= M_EXT;
			*m_ext_of(n) = *src;
			__atomic_add_fetch(src->ext_cnt, 1, __ATOMIC_RELAXED);
			n->m_data = m->m_data + off;
		} else
			memcpy(n->m_data, m->m_data + off, (size_t)n->m_len);
		total += n->m_len;
		len -= len == M_COPYALL ? 0 : n->m_len;
		off = 0;
		*np = n;
		np = &n->m_next;
		m = m->m_next;
	}
	if (top != NULL && (top->m_flags & M_PKTHDR))
		top->m_pkthdr.len = total;
	return (top);
nospace:
	m_freem(top);
	return (NULL);
}

struct mbuf *
m_dup(const struct mbuf *m, int how)
{
	struct mbuf *n, *t;
	int len = (int)m_length(m, NULL), off = 0;

	n = m_getm(len, how, m->m_type, m->m_flags & M_PKTHDR);
	if (n == NULL)
		return (NULL);
	if (m->m_flags & M_PKTHDR)
		m_dup_pkthdr(n, m);
	/* Fill the new chain in order, each mbuf to the brim. */
	for (t = n; off < len; t = t->m_next) {
		int k = MIN(M_TRAILINGSPACE(t), len - off);

		m_copydata(m, off, k, t->m_data);
		t->m_len = k;
		off += k;
		if (off == len)
			break;
	}
	if (t->m_next != NULL) {
		m_freem(t->m_next);
		t->m_next = NULL;
	}
	if (n->m_flags & M_PKTHDR)
		n->m_pkthdr.len = len;
	return (n);
}

struct mbuf *
m_defrag(struct mbuf *m0, int how)
{
	struct mbuf *n;

	KASSERT(m0->m_flags & M_PKTHDR, ("m_defrag: no header"));
	n = m_dup(m0, how);
	if (n == NULL)
		return (NULL);
	m_freem(m0);
	return (n);
}

struct mbuf *
m_split(struct mbuf *m0, int len0, int how)
{
	struct mbuf *m, *n, *head;
	int len = len0, remain;

	for (m = m0; m != NULL && len > m->m_len; m = m->m_next)
		len -= m->m_len;
	if (m == NULL)
		return (NULL);
	remain = m->m_len - len;
	head = NULL;
	if (m0->m_flags & M_PKTHDR) {
		/* The tail gets a header of its own, empty if need be. */
		head = mb_alloc(how, m0->m_type, M_PKTHDR);
		if (head == NULL)
			return (NULL);
		m_dup_pkthdr(head, m0);
		head->m_pkthdr.len = m0->m_pkthdr.len - len0;
	}
	if (remain == 0) {
		n = m->m_next;
		m->m_next = NULL;
		if (head == NULL)
			return (n);
		head->m_next = n;
		m0->m_pkthdr.len = len0;
		return (head);
	}
	if (head != NULL && ((m->m_flags & M_EXT) || remain <= MHLEN))
		n = head;
	else {
		n = mb_alloc(how, m->m_type, 0);
		if (n == NULL) {
			if (head != NULL)
				m_free(head);
			return (NULL);
		}
		if (head != NULL)
			head->m_next = n;
	}
	if (m->m_flags & M_EXT) {
		struct m_ext *src = m_ext_of(m);

		n->m_flags |= M_EXT;
		*m_ext_of(n) = *src;
		__atomic_add_fetch(src->ext_cnt, 1, __ATOMIC_RELAXED);
		n->m_data = m->m_data + len;
	} else
		memcpy(n->m_data, m->m_data + len, (size_t)remain);
	n->m_len = remain;
	m->m_len = len;
	n->m_next = m->m_next;
	m->m_next = NULL;
	if (head != NULL)
		m0->m_pkthdr.len = len0;
	return (head != NULL ? head : n);
}

int
m_sanity(const struct mbuf *m0, bool pkthdr)
{
	const struct mbuf *m;
	int total = 0;

	if (pkthdr && !(m0->m_flags & M_PKTHDR))
		return (EINVAL);
	for (m = m0; m != NULL; m = m->m_next) {
		if (m->m_type == MT_NOTMBUF || m->m_len < 0)
			return (EINVAL);
		if (m->m_data < M_START(m) ||
		    m->m_data + m->m_len > M_START(m) + M_SIZE(m))
			return (EINVAL);
		if (m != m0 && (m->m_flags & M_PKTHDR))
			return (EINVAL);
		total += m->m_len;
	}
	if (pkthdr && m0->m_pkthdr.len != total)
		return (EINVAL);
	return (0);
}
