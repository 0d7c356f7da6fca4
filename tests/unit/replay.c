/*
 * replay FILE...: run the libFuzzer target of fuzz_keepalive.c on the
 * given inputs (the corpus), without libFuzzer: for builds where libFuzzer
 * is not at hand, such as -m32.  The target aborts on a broken invariant.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	FILE *f;
	size_t n;
	int i;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return 2;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("replayed %d inputs\n", argc - 1);
	return 0;
}
