// SPDX-License-Identifier: GPL-2.0
/* Apart from main() so that tests can link the whole CLI and call it. */
#include "roamctl.h"

int main(int argc, char **argv)
{
	return roamctl_main(argc, argv);
}
