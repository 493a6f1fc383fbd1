/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * An object for kld_link_test, compiled like a module (-mcmodel=kernel
 * -fno-pic) and run by the test once linked: it uses symbols the test
 * program defines (host_*), its own data, read-only data and bss, a
 * linker set, and each relocation type the linker applies, written out
 * explicitly below so that none depends on the compiler's choices.
 */
#include <sys/param.h>
#include <sys/linker_set.h>

extern int	host_counter;
extern int	host_add(int, int);
extern const char host_name[];

int	obj_data = 41;
int	obj_bss[8];
static const char obj_msg[] = "relocated";
static int (*const obj_fp)(int, int) = host_add;

int	obj_call(int a);
const char *obj_msg_get(void);
int	*obj_bss_at(int i);
int	*obj_data_addr(void);
const char *obj_host_name(void);
int	obj_set_sum(void);

int
obj_call(int a)
{
	host_counter++;
	return (obj_fp(a, obj_data) + host_add(1, 1));
}

const char *
obj_msg_get(void)
{
	return (obj_msg);
}

int *
obj_bss_at(int i)
{
	return (&obj_bss[i]);
}

int *
obj_data_addr(void)
{
	return (&obj_data);
}

const char *
obj_host_name(void)
{
	return (host_name);
}

struct obj_item {
	int	v;
};
static struct obj_item obj_item1 = { 1 }, obj_item2 = { 20 };
DATA_SET(obj_set, obj_item1);
DATA_SET(obj_set, obj_item2);
SET_DECLARE(obj_set, struct obj_item);

int
obj_set_sum(void)
{
	struct obj_item **ip;
	int sum = 0;

	SET_FOREACH(ip, obj_set)
		sum += (*ip)->v;
	return (sum);
}

/* One field per relocation type: 64, PC64, 32, PC32, 32S (in a movq). */
__asm__(
	"	.section .data.relocs, \"aw\"\n"
	"	.balign 8\n"
	"	.globl obj_r64, obj_rpc64, obj_r32, obj_rpc32\n"
	"obj_r64:	.quad host_counter + 8\n"
	"obj_rpc64:	.quad host_counter - .\n"
	"obj_r32:	.long obj_data + 4\n"
	"obj_rpc32:	.long host_counter - . + 2\n"
	"	.text\n"
	"	.globl obj_r32s\n"
	"obj_r32s:\n"
	"	movq	$host_name + 3, %rax\n"
	"	ret\n");
