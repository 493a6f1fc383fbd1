/* Hosted: the kernel's atomics are compiler builtins, usable as they are. */
#include "../../../../sys/amd64/include/atomic.h"
