/* SPDX-License-Identifier: BSD-2-Clause */
/* bench/user's static true: what fork+exec+wait starts. */
int
main(void)
{
	return (0);
}
