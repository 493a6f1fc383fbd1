/* database (db.c) */
#ifndef XSD_DB_H
#define XSD_DB_H

#include "xsd_types.h"

int db_open(const char *path);
/* Records one committed change set. */
int db_log_set(const struct node *n);
int db_log_del(const char *path);
int db_log_end(void);
/* Writes pending records and fsyncs; call before sending replies. */
int db_flush(void);
int db_snapshot(void);
void db_close(void);
bool db_enabled(void);

#endif
