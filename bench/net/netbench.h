/* What netbench.c and netbench_count.c share. */
#ifndef NETBENCH_H
#define NETBENCH_H

#include <signal.h>
#include <stdint.h>

extern volatile sig_atomic_t nb_stop;

uint64_t	nb_now_us(void);
int		nb_count(const char *ifname, uint16_t port, int rounds,
		    uint64_t max_ms, uint64_t idle_ms, const char *sizes);

#endif
