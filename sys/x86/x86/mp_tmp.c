/* Placeholder until the SMP code lands: single CPU. */
#include <sys/param.h>
#include <machine/md_var.h>

void
cpu_stop_others(void)
{
}
