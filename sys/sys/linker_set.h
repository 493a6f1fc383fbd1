/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Linker sets: each entry is a pointer placed in section "set_<name>"; the
 * linker provides __start_set_<name> and __stop_set_<name> for sections whose
 * names are C identifiers, so no linker-script support is needed.
 */
#ifndef _SYS_LINKER_SET_H_
#define _SYS_LINKER_SET_H_

#include <sys/cdefs.h>

#define __MAKE_SET(set, sym)						\
	static void const *const __set_##set##_sym_##sym		\
	    __section("set_" #set) __used __aligned(sizeof(void *)) = &(sym)

#define DATA_SET(set, sym)	__MAKE_SET(set, sym)
#define TEXT_SET(set, sym)	__MAKE_SET(set, sym)

#define SET_DECLARE(set, ptype)						\
	extern ptype *__start_set_##set[] __attribute__((__weak__));	\
	extern ptype *__stop_set_##set[] __attribute__((__weak__))

#define SET_BEGIN(set)		(__start_set_##set)
#define SET_LIMIT(set)		(__stop_set_##set)
#define SET_COUNT(set)		(SET_LIMIT(set) - SET_BEGIN(set))
#define SET_FOREACH(pvar, set)						\
	for (pvar = SET_BEGIN(set); pvar < SET_LIMIT(set); pvar++)

#endif /* !_SYS_LINKER_SET_H_ */
