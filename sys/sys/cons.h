/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Console registry.  Every registered console receives kernel output; a
 * console may retire an earlier one (e.g. a PV console replacing an early
 * debug port once it is attached).
 */
#ifndef _SYS_CONS_H_
#define _SYS_CONS_H_

#include <sys/types.h>

struct consdev {
	const char	*cn_name;
	void		(*cn_putc)(struct consdev *, int);
	int		(*cn_getc)(struct consdev *);	/* -1 if none */
	/* Optional: waits (bounded) until queued output reached its reader. */
	void		(*cn_flush)(struct consdev *);
	void		*cn_arg;
	bool		cn_active;
};

int	cons_register(struct consdev *);
void	cons_unregister(struct consdev *);
void	cons_putc(int c);
/* A character from any active console's input, or -1 if none waits. */
int	cons_getc(void);
/* Pushes queued output out (before the machine stops). */
void	cons_flush(void);
/*
 * While a captor is set, output goes to it alone, not to the registered
 * consoles (a test capturing a burst of program output that would flood a
 * slow console); an emergency still prints everywhere.  NULL ends it.
 */
void	cons_capture(struct consdev *);
/* From now on every console ever registered prints (fatal trap, panic). */
void	cons_emergency(void);
/* Output lock taken by printf so lines from different CPUs do not mix. */
void	cons_lock(void);
void	cons_unlock(void);

#endif /* !_SYS_CONS_H_ */
