/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Polled 16550 console on COM1.
 */
#include <sys/types.h>
#include <sys/cons.h>

#include <machine/cpufunc.h>

#include <x86/uart.h>

#define COM1		0x3f8
#define REG_DATA	0
#define REG_IER		1
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define REG_SCR		7
#define LSR_RXRDY	0x01
#define LSR_THRE	0x20

static void
uart_putc(struct consdev *cd, int c)
{
	u_int base = (u_int)(uintptr_t)cd->cn_arg;

	/* Bounded wait: a wedged UART must not hang the kernel. */
	for (int i = 0; i < 100000 && (inb(base + REG_LSR) & LSR_THRE) == 0; i++)
		cpu_spinwait();
	outb(base + REG_DATA, (uint8_t)c);
}

static int
uart_getc(struct consdev *cd)
{
	u_int base = (u_int)(uintptr_t)cd->cn_arg;

	if ((inb(base + REG_LSR) & LSR_RXRDY) == 0)
		return (-1);
	return (inb(base + REG_DATA));
}

static struct consdev uart_cons = {
	.cn_name = "uart0",
	.cn_putc = uart_putc,
	.cn_getc = uart_getc,
	.cn_arg = (void *)(uintptr_t)COM1,
};

static bool
uart_present(u_int base)
{
	/* The scratch register holds what is written only on a real UART. */
	outb(base + REG_SCR, 0x5a);
	if (inb(base + REG_SCR) != 0x5a)
		return (false);
	outb(base + REG_SCR, 0xa5);
	return (inb(base + REG_SCR) == 0xa5);
}

void
uart_early_init(void)
{
	if (!uart_present(COM1))
		return;
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x80);	/* divisor latch */
	outb(COM1 + REG_DATA, 1);	/* 115200 baud */
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, 0x03);	/* 8N1 */
	outb(COM1 + REG_FCR, 0x07);	/* FIFOs on, cleared */
	outb(COM1 + REG_MCR, 0x03);
	cons_register(&uart_cons);
}
