/* Test helpers: a private daemon per test case, and a raw wire client. */
#ifndef XSD_TEST_HELPER_H
#define XSD_TEST_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

#include <atf-c.h>
#include <xenstore.h>
#include <xen/io/xs_wire.h>

struct xsd_daemon {
	pid_t pid;
	char sock[4200];
	char log[4200];
};

/* Starts build/bin/xenstored-shim on ./sock with --no-domains plus extra
 * arguments (NULL-terminated list, may be NULL); sets XENSTORED_PATH. */
void xsd_start(struct xsd_daemon *d, const atf_tc_t *tc,
    const char *const *extra);
void xsd_kill(struct xsd_daemon *d, int sig);
/* True if the daemon log contains s. */
bool xsd_log_has(const struct xsd_daemon *d, const char *s);
const char *xsd_binary(const atf_tc_t *tc);

struct xs_handle *xsd_open(void);
/* Sends CONTROL restrict <domid> so the handle acts as that domain. */
void xsd_restrict(struct xs_handle *h, unsigned domid);

/* Raw client. */
int raw_connect(const char *sock);
void raw_send(int fd, uint32_t type, uint32_t req, uint32_t tx,
    const void *p, size_t len);
/* Receives one message; false on EOF or timeout. buf gets a NUL after. */
bool raw_recv(int fd, struct xsd_sockmsg *h, char *buf, size_t cap,
    int timeout_ms);
/* Sends a request and expects a reply of the same req_id; returns type. */
uint32_t raw_call(int fd, uint32_t type, uint32_t tx, const void *p,
    size_t len, char *out, size_t cap, uint32_t *outlen);
/* Builds "a\0b\0..." payloads: returns length. */
size_t raw_args(char *out, size_t cap, const char *const *args);
/* True if the peer closed the connection (EOF within timeout). */
bool raw_closed(int fd, int timeout_ms);

#endif
