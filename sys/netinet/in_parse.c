/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Parsing and formatting of IPv4 addresses and of the ip= boot option.
 * Pure functions: the hosted tests run them unchanged.
 */
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/systm.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

int
inet_pton4_n(const char *s, size_t len, in_addr_t *addr)
{
	uint32_t a = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		u_int v = 0, ndig = 0;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return (0);
			i++;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			/* "01" is refused: some parsers read it as octal. */
			if (ndig == 1 && v == 0)
				return (0);
			v = v * 10 + (u_int)(s[i] - '0');
			if (v > 255)
				return (0);
			ndig++;
			i++;
		}
		if (ndig == 0)
			return (0);
		a = (a << 8) | v;
	}
	if (i != len)
		return (0);
	*addr = htonl(a);
	return (1);
}

int
inet_pton4(const char *s, in_addr_t *addr)
{
	return (inet_pton4_n(s, strlen(s), addr));
}

char *
inet_ntoa_r(in_addr_t addr, char *buf)
{
	uint32_t a = ntohl(addr);

	snprintf(buf, INET_ADDRSTRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
	return (buf);
}

in_addr_t
in_plen2mask(int plen)
{
	KASSERT(plen >= 0 && plen <= 32, ("in_plen2mask: %d", plen));
	return (plen == 0 ? 0 : htonl(0xffffffffU << (32 - plen)));
}

static bool
in_unicast_ok(uint32_t h)
{
	return (!IN_ZERONET(h) && !IN_LOOPBACK(h) && !IN_MULTICAST(h) &&
	    !IN_EXPERIMENTAL(h));
}

static int
bad(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return (EINVAL);
}

int
in_ipspec_parse(const char *s, struct in_ipspec *is, const char **why)
{
	const char *slash, *comma, *p;
	uint32_t h, mask, gh;
	in_addr_t addr, gw = INADDR_ANY;
	u_int plen = 0, ndig = 0;
	size_t len = strnlen(s, IN_IPSPEC_MAX + 1);

	if (len > IN_IPSPEC_MAX)
		return (bad(why, "too long"));
	slash = strchr(s, '/');
	if (slash == NULL)
		return (bad(why, "no /prefix length"));
	if (!inet_pton4_n(s, (size_t)(slash - s), &addr))
		return (bad(why, "address is not a.b.c.d"));
	comma = strchr(slash, ',');
	for (p = slash + 1; *p != '\0' && p != comma; p++) {
		if (*p < '0' || *p > '9')
			return (bad(why, "prefix length is not a number"));
		plen = plen * 10 + (u_int)(*p - '0');
		if (++ndig > 2 || plen > 32)
			return (bad(why, "prefix length is not 1..32"));
	}
	if (ndig == 0 || plen == 0)
		return (bad(why, "prefix length is not 1..32"));
	if (comma != NULL) {
		if (!inet_pton4(comma + 1, &gw))
			return (bad(why, "gateway is not a.b.c.d"));
	}
	h = ntohl(addr);
	mask = ntohl(in_plen2mask((int)plen));
	if (!in_unicast_ok(h) || h == 0xffffffffU)
		return (bad(why, "address is not a unicast address"));
	if (plen <= 30 && ((h & ~mask) == 0 || (h & ~mask) == ~mask))
		return (bad(why, "address is its network's or broadcast address"));
	if (comma != NULL) {
		gh = ntohl(gw);
		if (!in_unicast_ok(gh) || gh == 0xffffffffU)
			return (bad(why, "gateway is not a unicast address"));
		if (gh == h)
			return (bad(why, "gateway is the address itself"));
		if (plen < 32 && (gh & mask) != (h & mask))
			return (bad(why, "gateway is outside the prefix"));
		if (plen <= 30 && ((gh & ~mask) == 0 || (gh & ~mask) == ~mask))
			return (bad(why, "gateway is a network or broadcast address"));
	}
	is->is_addr = addr;
	is->is_plen = (int)plen;
	is->is_gw = gw;
	return (0);
}
