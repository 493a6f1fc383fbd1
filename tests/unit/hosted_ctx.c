/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The libc half of the hosted scheduler (hosted_sched.c): execution
 * contexts on ucontext(3), each kernel thread on a stack of its own.  Only
 * one context runs at a time and switches happen only where the kernel
 * half asks, so tests are deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#define HOSTED_CTX_STACK	(256 * 1024)

struct hosted_ctx {
	ucontext_t	uc;
	void		(*fn)(void *);
	void		*arg;
};

static struct hosted_ctx hosted_ctx_main_ctx;
static struct hosted_ctx *hosted_ctx_cur = &hosted_ctx_main_ctx;

void	*hosted_ctx_main(void);
void	*hosted_ctx_new(void (*fn)(void *), void *arg);
void	hosted_ctx_switch(void *from, void *to);

static void
hosted_ctx_start(void)
{
	struct hosted_ctx *c = hosted_ctx_cur;

	c->fn(c->arg);
	/* Kernel threads end in kthread_exit(); returning is a bug. */
	fprintf(stderr, "hosted_ctx: a thread function returned\n");
	abort();
}

void *
hosted_ctx_main(void)
{
	return (&hosted_ctx_main_ctx);
}

void *
hosted_ctx_new(void (*fn)(void *), void *arg)
{
	struct hosted_ctx *c = calloc(1, sizeof(*c));
	void *stack = malloc(HOSTED_CTX_STACK);

	if (c == NULL || stack == NULL || getcontext(&c->uc) != 0)
		abort();
	c->fn = fn;
	c->arg = arg;
	c->uc.uc_stack.ss_sp = stack;
	c->uc.uc_stack.ss_size = HOSTED_CTX_STACK;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, hosted_ctx_start, 0);
	return (c);
}

void
hosted_ctx_switch(void *from, void *to)
{
	struct hosted_ctx *f = from;

	hosted_ctx_cur = to;
	if (swapcontext(&f->uc, &hosted_ctx_cur->uc) != 0)
		abort();
}
