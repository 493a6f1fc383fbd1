/*
 * capture: an AF_PACKET socket on one interface that feeds every incoming
 * IPv4 packet to netcheck's reassembler and counts the UDP checksum
 * verdicts of the datagrams that match a filter (see netcheck.h).
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stdint.h>

#include "netcheck.h"

struct cap_stats {
	uint64_t	seen;		/* matching datagrams, complete */
	uint64_t	by[4];		/* per enum nc_csum */
	uint64_t	frags_max;
	uint64_t	truncated;	/* captured short (MSG_TRUNC) */
};

struct capture {
	int		c_fd;
	uint32_t	c_peer;		/* network order; 0: any */
	uint16_t	c_sport;	/* 0: any */
	uint16_t	c_dport;	/* 0: any */
	struct nc_reasm	*c_reasm;
	uint8_t		*c_buf;
	struct cap_stats c_st;
	int		c_verbose;
};

/* Returns 0, or -1 with a message on stderr. */
int	cap_open(struct capture *c, const char *ifname);
/* Reads what is queued, waiting at most wait_ms for the first packet. */
void	cap_drain(struct capture *c, int wait_ms);
void	cap_close(struct capture *c);

#endif
