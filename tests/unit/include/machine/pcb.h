/* Hosted: declarations only, shared with the kernel. */
#include "../../../../sys/amd64/include/pcb.h"
