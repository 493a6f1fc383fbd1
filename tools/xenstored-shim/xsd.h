/*
 * xenstored-shim: all module interfaces, for the tests and the fuzzer;
 * each module includes only the xsd_*.h it uses.
 *
 * Invariants kept by every module:
 *  - Nothing a peer sends may reach an assert() or abort(): every check of
 *    peer input returns an errno value that becomes an ERROR reply, or marks
 *    the connection dead.
 *  - No recursion over peer-controlled structures: tree walks use explicit
 *    work lists.
 *  - Every allocation failure is reported to the caller (ENOMEM).
 *  - Changes reach the global store only through txn_commit(), so watch
 *    events, the journal and the quota accounting all see one code path.
 */
#ifndef XSD_H
#define XSD_H

#include "xsd_types.h"
#include "xsd_buf.h"
#include "xsd_quota.h"
#include "xsd_proto.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_special.h"
#include "xsd_tree.h"
#include "xsd_conn.h"
#include "xsd_dispatch.h"
#include "xsd_txn.h"
#include "xsd_watch.h"
#include "xsd_domain.h"
#include "xsd_ring.h"
#include "xsd_db.h"
#include "xsd_sock.h"
#include "xsd_log.h"

#endif
