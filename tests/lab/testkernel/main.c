/*
 * Lab test kernel: the smallest PVH guest that speaks the ktest protocol.
 * It proves the lab end to end (xl create, port 0xe9 console, hypercall page,
 * SCHEDOP_shutdown) while the real kernel is written, and stays on as the
 * lab's self-test. Runs as a PVH domU or a PVH dom0 alike.
 */
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>

/* Every test is listed here; the build extracts the names for .ktests. */
#define	KTEST_LIST(X)		\
	X(lab_smoke)		\
	X(lab_start_info)	\
	X(lab_xen_cpuid)	\
	X(lab_hypercall_page)	\
	X(lab_xen_version)

enum kt_result { KT_PASS, KT_FAIL, KT_SKIP, KT_ERROR };

extern uint8_t hypercall_page[4096];
void kmain(uint32_t start_info_pa);

static const struct hvm_start_info *start_info;
static uint32_t xen_leaf_base;
static int hypercalls_ready;
static int console_io_ok;
static char detail[96];

static inline void
outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static long hypercall3(unsigned int, unsigned long, unsigned long,
    unsigned long);

static void
putstr(const char *s)
{
	size_t n = 0;

	/*
	 * Port 0xe9: Xen prints it as "(dN) ..." lines with guest_loglvl=all.
	 * A PVH dom0 owns the real port instead, so it also uses console_io
	 * (which Debian's release build refuses to a domU with -EPERM).
	 */
	while (s[n] != '\0')
		outb(0xe9, (uint8_t)s[n++]);
	if (console_io_ok)
		hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n,
		    (unsigned long)s);
}

static void
cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(0));
}

static long
hypercall2(unsigned int nr, unsigned long a1, unsigned long a2)
{
	long ret;
	register unsigned long rdi __asm__("rdi") = a1;
	register unsigned long rsi __asm__("rsi") = a2;

	__asm__ volatile("call *%[entry]"
	    : "=a"(ret), "+r"(rdi), "+r"(rsi)
	    : [entry] "r"(hypercall_page + nr * 32)
	    : "memory", "rcx", "rdx", "r8", "r9", "r10", "r11");
	return (ret);
}

static long
hypercall3(unsigned int nr, unsigned long a1, unsigned long a2,
    unsigned long a3)
{
	long ret;
	register unsigned long rdi __asm__("rdi") = a1;
	register unsigned long rsi __asm__("rsi") = a2;
	register unsigned long rdx __asm__("rdx") = a3;

	__asm__ volatile("call *%[entry]"
	    : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
	    : [entry] "r"(hypercall_page + nr * 32)
	    : "memory", "rcx", "r8", "r9", "r10", "r11");
	return (ret);
}

static char *
fmt_u(char *p, unsigned long v, unsigned int base)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	*p = '\0';
	return (p);
}

static char *
cat(char *p, const char *s)
{
	while (*s != '\0')
		*p++ = *s++;
	*p = '\0';
	return (p);
}

/* Glob with '*' only, enough for ktest=<glob>. */
static int
glob_match(const char *g, const char *ge, const char *s)
{
	if (g == ge)
		return (*s == '\0');
	if (*g == '*') {
		for (;; s++) {
			if (glob_match(g + 1, ge, s))
				return (1);
			if (*s == '\0')
				return (0);
		}
	}
	return (*s != '\0' && *g == *s && glob_match(g + 1, ge, s + 1));
}

static const char *
cmdline(void)
{
	if (start_info == NULL || start_info->cmdline_paddr == 0 ||
	    start_info->cmdline_paddr >= (1ul << 30))
		return ("");
	return ((const char *)(uintptr_t)start_info->cmdline_paddr);
}

static int
has_word(const char *w)
{
	const char *c = cmdline(), *p, *q;

	for (; *c != '\0'; c++) {
		if (c != cmdline() && c[-1] != ' ')
			continue;
		for (p = c, q = w; *q != '\0' && *p == *q; p++, q++)
			;
		if (*q == '\0' && (*p == '\0' || *p == ' '))
			return (1);
	}
	return (0);
}

/* The ktest= word of the command line, as [*gs, *ge); "*" when absent. */
static void
ktest_glob(const char **gs, const char **ge)
{
	const char *c = cmdline();

	*gs = "*";
	*ge = *gs + 1;
	for (; *c != '\0'; c++) {
		if ((c == cmdline() || c[-1] == ' ') &&
		    c[0] == 'k' && c[1] == 't' && c[2] == 'e' && c[3] == 's' &&
		    c[4] == 't' && c[5] == '=') {
			*gs = c + 6;
			for (*ge = *gs; **ge != '\0' && **ge != ' '; (*ge)++)
				;
			return;
		}
	}
}

static enum kt_result
lab_smoke(void)
{
	return (KT_PASS);
}

static enum kt_result
lab_start_info(void)
{
	if (start_info == NULL || start_info->magic != XEN_HVM_START_MAGIC_VALUE) {
		cat(detail, "bad hvm_start_info magic");
		return (KT_FAIL);
	}
	return (KT_PASS);
}

static enum kt_result
lab_xen_cpuid(void)
{
	if (xen_leaf_base == 0) {
		cat(detail, "no Xen CPUID leaves");
		return (KT_FAIL);
	}
	return (KT_PASS);
}

static enum kt_result
lab_hypercall_page(void)
{
	if (!hypercalls_ready) {
		cat(detail, "Xen did not fill the hypercall page");
		return (KT_FAIL);
	}
	return (KT_PASS);
}

static enum kt_result
lab_xen_version(void)
{
	long v;
	char *p;

	if (!hypercalls_ready)
		return (KT_SKIP);
	v = hypercall2(__HYPERVISOR_xen_version, XENVER_version, 0);
	p = cat(detail, "xen ");
	p = fmt_u(p, (unsigned long)v >> 16, 10);
	p = cat(p, ".");
	fmt_u(p, (unsigned long)v & 0xffff, 10);
	return ((v >> 16) >= 4 ? KT_PASS : KT_FAIL);
}

static void
xen_setup(void)
{
	uint32_t r[4], base;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000;
	    base += 0x100) {
		cpuid(base, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX &&
		    r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX && r[0] - base >= 2) {
			xen_leaf_base = base;
			break;
		}
	}
	if (xen_leaf_base == 0)
		return;
	/* Prefill with ret so a stray early call returns; check Xen wrote it. */
	for (size_t i = 0; i < sizeof(hypercall_page); i++)
		hypercall_page[i] = 0xc3;
	cpuid(xen_leaf_base + 2, r);
	uint64_t pa = (uintptr_t)hypercall_page;
	__asm__ volatile("wrmsr" : : "c"(r[1]), "a"((uint32_t)pa),
	    "d"((uint32_t)(pa >> 32)));
	hypercalls_ready = hypercall_page[0] != 0xc3;
	if (hypercalls_ready)
		console_io_ok = hypercall3(__HYPERVISOR_console_io,
		    CONSOLEIO_write, 0, (unsigned long)"") == 0;
}

void
kmain(uint32_t start_info_pa)
{
	static const struct {
		const char *name;
		enum kt_result (*fn)(void);
	} tests[] = {
#define	X(n) { #n, n },
		KTEST_LIST(X)
#undef X
	};
	static const char *const words[] = { "PASS", "FAIL", "SKIP", "ERROR" };
	unsigned long count[4] = { 0, 0, 0, 0 };
	const char *gs, *ge;
	char line[192], *p;

	start_info = (const struct hvm_start_info *)(uintptr_t)start_info_pa;
	xen_setup();
	putstr("lab test kernel: cmdline \"");
	putstr(cmdline());
	putstr("\"\n");
	/* Misbehaviour on request, to test the lab's timeouts and reports. */
	if (has_word("labtest=hang")) {
		putstr("lab test kernel: hanging as asked\n");
		/* Spin: Xen powers off a domain whose vCPUs all "cli; hlt". */
		for (;;)
			__asm__ volatile("pause");
	}
	if (has_word("labtest=triplefault")) {
		static const struct { uint16_t limit; uint64_t base; }
		    __attribute__((packed)) noidt = { 0, 0 };

		putstr("lab test kernel: triple fault as asked\n");
		__asm__ volatile("lidt %0; int3" : : "m"(noidt));
	}
	ktest_glob(&gs, &ge);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (!glob_match(gs, ge, tests[i].name))
			continue;
		detail[0] = '\0';
		enum kt_result r = tests[i].fn();
		count[r]++;
		p = cat(line, "KTEST ");
		p = cat(p, tests[i].name);
		p = cat(p, " ");
		p = cat(p, words[r]);
		if (detail[0] != '\0') {
			p = cat(p, " ");
			p = cat(p, detail);
		}
		cat(p, "\n");
		putstr(line);
	}
	p = cat(line, "KTEST-SUMMARY passed=");
	p = fmt_u(p, count[KT_PASS], 10);
	p = cat(p, " failed=");
	p = fmt_u(p, count[KT_FAIL], 10);
	p = cat(p, " skipped=");
	p = fmt_u(p, count[KT_SKIP], 10);
	p = cat(p, " errors=");
	p = fmt_u(p, count[KT_ERROR], 10);
	cat(p, "\n");
	putstr(line);

	if (hypercalls_ready) {
		struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

		hypercall2(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
		    (unsigned long)&sd);
	}
	/* Without Xen (QEMU -kernel): the isa-debug-exit port, if present. */
	outb(0xf4, 0);
}
