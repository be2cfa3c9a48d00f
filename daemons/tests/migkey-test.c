// SPDX-License-Identifier: GPL-2.0
/*
 * Known answers of the live handoff's key derivation and MAC
 * (lib/migkey.c, Documentation/roam-handoff.md "Keys").  The expected
 * bytes were computed apart from this code (Python's hmac module) and
 * are the reference for roam.ko's implementation too.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hex.h"
#include "migkey.h"
#include "secfile.h"
#include "tap.h"

static bool hex_eq(const uint8_t *b, size_t n, const char *want)
{
	char h[HEX_LEN(64)];

	hex_encode(b, n, h, sizeof(h));
	if (strcmp(h, want))
		printf("# got  %s\n# want %s\n", h, want);
	return !strcmp(h, want);
}

static struct mig_mac_input example(void)
{
	struct mig_mac_input in = {
		.id = 0x01020304,
		.c_nonce = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 },
		.s_nonce = { 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 },
		.client_port = 40000,
		.server_port = 8080,
		.counter = 1,
	};

	inet_pton(AF_INET, "192.0.2.10", &in.client_addr);
	inet_pton(AF_INET, "198.51.100.1", &in.orig_addr);
	inet_pton(AF_INET, "198.51.100.2", &in.new_addr);
	return in;
}

/* K_mig's file (lib/secfile.c): raw or hex, 0600, exactly 32 bytes. */
static int key_file(const char *content, size_t len, mode_t mode, uint8_t key[32])
{
	char path[] = "/tmp/migkey-test.XXXXXX", err[256];
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, content, len) != (ssize_t)len || fchmod(fd, mode))
		return -EIO;
	close(fd);
	ret = roam_key_file_read(path, key, 32, err, sizeof(err));
	unlink(path);
	return ret;
}

static bool test_key_files(void)
{
	static const char hex[] = "000102030405060708090a0b0c0d0e0f"
				  "101112131415161718191a1b1c1d1e1f\n";
	uint8_t raw[32], key[32], want[32];
	bool ok = true;

	for (int i = 0; i < 32; i++)
		want[i] = raw[i] = (uint8_t)i;
	memset(key, 0, sizeof(key));
	ok &= !key_file(hex, sizeof(hex) - 1, 0600, key) && !memcmp(key, want, 32);
	memset(key, 0, sizeof(key));
	ok &= !key_file(hex, sizeof(hex) - 2, 0600, key) && !memcmp(key, want, 32);
	memset(key, 0, sizeof(key));
	ok &= !key_file((const char *)raw, 32, 0600, key) && !memcmp(key, want, 32);
	ok &= key_file((const char *)raw, 31, 0600, key) == -EINVAL;
	ok &= key_file(hex, sizeof(hex) - 3, 0600, key) == -EINVAL;
	ok &= key_file(hex, sizeof(hex) - 1, 0644, key) != 0;
	return ok;
}

int main(void)
{
	uint8_t kmig[MIG_KEY_LEN], kc[MIG_KEY_LEN], kc2[MIG_KEY_LEN];
	uint8_t msg[MIG_MAC_MSG_LEN], mac[MIG_MAC_LEN], mac2[MIG_MAC_LEN];
	struct mig_mac_input in = example(), in2;
	unsigned int i;

	tap_plan(8);
	for (i = 0; i < sizeof(kmig); i++)
		kmig[i] = i;
	tap_ok(!mig_client_key(kmig, 0x01020304, kc) &&
	       hex_eq(kc, sizeof(kc), "89fdfd4e1da7c5e292985861a8cf1965"
		      "3961b71e7826af532a97c652894a2feb"),
	       "K_client for id 0x01020304, K_mig 00..1f");
	memset(kmig, 0xff, sizeof(kmig));
	tap_ok(!mig_client_key(kmig, 0xfffffffe, kc2) &&
	       hex_eq(kc2, sizeof(kc2), "a2bdb8f5cb1933252e304f2b2d8f00e5"
		      "957246736099457671a10bb41daa4653"),
	       "K_client for id 0xfffffffe, K_mig ff..ff");
	mig_mac_message(&in, msg);
	tap_ok(hex_eq(msg, sizeof(msg), "726f616d2d6d6967726174652d763101020304"
		      "a0a1a2a3a4a5a6a7b0b1b2b3b4b5b6b7c000020a9c40c6336401"
		      "1f90c633640200000001"),
	       "MAC message: label, id, nonces, addresses, ports, counter (55 bytes)");
	tap_ok(!mig_mac(kc, &in, mac) &&
	       hex_eq(mac, sizeof(mac), "bf774f265db0e75c95bf1c7c"),
	       "MAC, first 12 bytes of HMAC-SHA256");

	/* Every field is covered: changing one changes the MAC. */
	in2 = in;
	in2.counter = 2;
	tap_ok(!mig_mac(kc, &in2, mac2) && memcmp(mac, mac2, sizeof(mac)),
	       "another counter, another MAC");
	in2 = in;
	in2.new_addr.s_addr ^= htonl(1);
	tap_ok(!mig_mac(kc, &in2, mac2) && memcmp(mac, mac2, sizeof(mac)),
	       "another new address, another MAC");
	tap_ok(!mig_mac(kc2, &in, mac2) && memcmp(mac, mac2, sizeof(mac)),
	       "another client's key, another MAC");
	tap_ok(test_key_files(), "K_mig files: 32 bytes or 64 hex digits, 0600; short, odd or open ones refused");
	return tap_done();
}
