/*-
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef _X86_UART_H_
#define _X86_UART_H_

/* Registers COM1 as a console if a 16550 answers there. */
void	uart_early_init(void);

#endif /* !_X86_UART_H_ */
