/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * An object for kld_link_test that needs a symbol nobody defines.
 */
extern int	host_missing(void);
int	obj_unres(void);

int
obj_unres(void)
{
	return (host_missing());
}
