/*
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A program with an interpreter (PT_INTERP /uinterp, see uinterp.c): it
 * runs only if the interpreter handed over to it.
 */
#include "nolibc.h"

int
main(void)
{
	say("uprog: started through the interpreter\n");
	return (0);
}
