/* xenstored-shim: what every module shares (see xsd.h for the rules). */
#ifndef XSD_TYPES_H
#define XSD_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/uio.h>

#include <xen/io/xs_wire.h>

#define XSD_HDR_LEN	  ((uint32_t)sizeof(struct xsd_sockmsg))
#define XSD_DOMID_MAX	  0x7fefu /* DOMID_FIRST_RESERVED - 1 */

/* Permission bits; OWNER is internal and never on the wire. */
#define XSD_PERM_NONE  0u
#define XSD_PERM_READ  1u
#define XSD_PERM_WRITE 2u
#define XSD_PERM_OWNER 4u

/* Domids fit 16 bits (perms_parse refuses more): 4 bytes an entry. */
struct xsd_perm {
	uint16_t id;
	uint8_t mode; /* XSD_PERM_READ | XSD_PERM_WRITE */
};

struct conn;
struct domain;
struct evrec;
struct node;
struct txn;
struct watch;

#endif
