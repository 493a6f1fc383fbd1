/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Threads: clone with TLS, futex-based mutexes and condition variables,
 * pthread_join (CLONE_CHILD_CLEARTID), thread-local storage per thread.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define NTHREADS	4
#define NITER		20000

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long total;
static int turn;
static __thread int tls_id = -1;

static void *
worker(void *arg)
{
	int id = (int)(long)arg;

	tls_id = id;
	for (int i = 0; i < NITER; i++) {
		pthread_mutex_lock(&mtx);
		total++;
		pthread_mutex_unlock(&mtx);
	}
	return ((void *)(long)(tls_id * 10));
}

static void *
ponger(void *arg)
{
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&mtx);
		while (turn != 1)
			pthread_cond_wait(&cv, &mtx);
		turn = 0;
		pthread_cond_signal(&cv);
		pthread_mutex_unlock(&mtx);
	}
	return (NULL);
}

int
main(void)
{
	pthread_t t[NTHREADS], p;
	long sum = 0;
	void *rv;

	setvbuf(stdout, NULL, _IOLBF, 0);
	tls_id = 100;
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return (1);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], &rv);
		sum += (long)rv;
	}
	printf("gthread: total %ld (want %d), joined values %ld, main tls %d\n",
	    total, NTHREADS * NITER, sum, tls_id);
	if (pthread_create(&p, NULL, ponger, NULL) != 0)
		return (1);
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&mtx);
		turn = 1;
		pthread_cond_signal(&cv);
		while (turn != 0)
			pthread_cond_wait(&cv, &mtx);
		pthread_mutex_unlock(&mtx);
	}
	pthread_join(p, NULL);
	printf("gthread: 100 condition-variable round trips\n");
	return (0);
}
