/* socket transport (sock.c) */
#ifndef XSD_SOCK_H
#define XSD_SOCK_H

#include "xsd_types.h"

int sock_listen(const char *path, char *err, size_t errlen);
void sock_accept(int lfd);
extern const struct transport_ops sock_ops;

#endif
