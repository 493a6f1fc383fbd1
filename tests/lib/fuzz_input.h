/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The fuzz targets' reader of their input: big-endian fields of 1 to 4
 * bytes, taken in order; past the end every byte reads as zero, so any
 * input, however short, is a whole script.
 */
#ifndef _TESTS_LIB_FUZZ_INPUT_H_
#define _TESTS_LIB_FUZZ_INPUT_H_

struct input {
	const uint8_t	*p;
	size_t		left;
};

static inline uint32_t
take(struct input *in, u_int bytes)
{
	uint32_t v = 0;

	while (bytes-- > 0) {
		v = v << 8;
		if (in->left > 0) {
			v |= *in->p++;
			in->left--;
		}
	}
	return (v);
}

#endif /* !_TESTS_LIB_FUZZ_INPUT_H_ */
