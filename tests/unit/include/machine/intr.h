/* Hosted: declarations only; hosted_kern.c says "not in an interrupt". */
#include "../../../../sys/amd64/include/intr.h"
