/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Robust mutexes (the kernel walks a thread's robust futex list when it
 * ends): a thread that ends holding one leaves EOWNERDEAD to the next
 * locker, also to one already blocked on it; pthread_mutex_consistent
 * makes it usable again; a process-shared one held by a child that exits
 * goes to the parent the same way; a plain mutex stays locked.
 * get_robust_list gives back what glibc registered.  (No file calls: the
 * process ktests run it without a descriptor table.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t robust, plain = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held;

static const char *
ename(int e)
{
	switch (e) {
	case 0: return "ok";
	case EOWNERDEAD: return "EOWNERDEAD";
	case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case EINVAL: return "EINVAL";
	default: return "other";
	}
}

static void
init_robust(pthread_mutex_t *m, int pshared)
{
	pthread_mutexattr_t a;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutexattr_setpshared(&a, pshared);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
}

/* Takes both mutexes and ends without giving them back. */
static void *
holder(void *arg)
{
	pthread_mutex_lock(&robust);
	pthread_mutex_lock(&plain);
	if (arg != NULL) {
		pthread_barrier_wait(&held);
		/* Let the waiter block on the mutex before this thread ends. */
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	}
	return (NULL);
}

static void *
waiter(void *arg)
{
	pthread_barrier_wait(&held);
	*(int *)arg = pthread_mutex_lock(&robust);
	if (*(int *)arg == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	return (NULL);
}

int
main(void)
{
	pthread_t a, b;
	long head = 0, len = 0;
	int r, wr = -1, st;

	r = (int)syscall(SYS_get_robust_list, 0, &head, &len);
	printf("grobust: get_robust_list %d, a head %s, length %ld\n", r,
	    head != 0 ? "yes" : "no", len);

	/* The owner is gone before anyone asks. */
	init_robust(&robust, PTHREAD_PROCESS_PRIVATE);
	pthread_create(&a, NULL, holder, NULL);
	pthread_join(a, NULL);
	r = pthread_mutex_lock(&robust);
	printf("grobust: lock after the owner ended: %s\n", ename(r));
	printf("grobust: consistent: %s\n",
	    ename(pthread_mutex_consistent(&robust)));
	printf("grobust: unlock: %s, lock again: %s, unlock: %s\n",
	    ename(pthread_mutex_unlock(&robust)),
	    ename(pthread_mutex_lock(&robust)),
	    ename(pthread_mutex_unlock(&robust)));
	printf("grobust: plain mutex of the ended thread: %s\n",
	    ename(pthread_mutex_trylock(&plain)));

	/* Unlocked without consistent: nobody can have it any more. */
	pthread_mutex_destroy(&robust);
	init_robust(&robust, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_init(&plain, NULL);
	pthread_create(&a, NULL, holder, NULL);
	pthread_join(a, NULL);
	r = pthread_mutex_lock(&robust);
	pthread_mutex_unlock(&robust);
	printf("grobust: %s, then unlocked as is: %s\n", ename(r),
	    ename(pthread_mutex_lock(&robust)));

	/* A waiter already blocked is woken by the owner's end. */
	pthread_mutex_destroy(&robust);
	init_robust(&robust, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_init(&plain, NULL);
	pthread_barrier_init(&held, NULL, 2);
	pthread_create(&b, NULL, waiter, &wr);
	pthread_create(&a, NULL, holder, &held);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("grobust: the blocked waiter got: %s\n", ename(wr));
	printf("grobust: lock after it: %s\n",
	    ename(pthread_mutex_lock(&robust)));
	pthread_mutex_unlock(&robust);

	/* Process-shared, in shared memory, held by a child that exits. */
	pthread_mutex_t *sm = mmap(NULL, sizeof(*sm), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	init_robust(sm, PTHREAD_PROCESS_SHARED);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(sm);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	r = pthread_mutex_lock(sm);
	printf("grobust: shared mutex after the child's exit: %s\n",
	    ename(r));
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(sm);
	printf("grobust: unlock: %s\n", ename(pthread_mutex_unlock(sm)));
	return (0);
}
