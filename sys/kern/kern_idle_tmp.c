/* Placeholder until the scheduler lands. */
#include <sys/param.h>
#include <sys/proc.h>
#include <machine/cpufunc.h>

void
sched_idle_loop(void)
{
	for (;;)
		sti_hlt();
}

void	fork_exit(void (*func)(void *), void *arg);

void
fork_exit(void (*func)(void *), void *arg)
{
	func(arg);
	kthread_exit();
}

void
kthread_exit(void)
{
	for (;;)
		halt();
}
