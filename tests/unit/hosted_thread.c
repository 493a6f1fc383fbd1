/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * libc side: a second host thread for hosted tests that race two parties
 * against each other (the tests themselves are built without libc headers).
 */
#include <pthread.h>
#include <stdlib.h>

void	*hosted_thread_start(void *(*fn)(void *), void *arg);
void	hosted_thread_join(void *handle);

void *
hosted_thread_start(void *(*fn)(void *), void *arg)
{
	pthread_t *td = malloc(sizeof(*td));

	if (td == NULL || pthread_create(td, NULL, fn, arg) != 0) {
		free(td);
		return (NULL);
	}
	return (td);
}

void
hosted_thread_join(void *handle)
{
	pthread_t *td = handle;

	pthread_join(*td, NULL);
	free(td);
}
