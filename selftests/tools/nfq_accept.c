// SPDX-License-Identifier: GPL-2.0
/*
 * nfq_accept: accept every packet of one NFQUEUE queue, so that the
 * netfilter hooks after the queue rule run from nf_reinject(), in process
 * context (mtf_nfqueue.sh, issue 8 item 2).
 *
 *   nfq_accept [-q QUEUE] [-r READYFILE]
 *
 * READYFILE is created once the queue is bound.  On SIGTERM or SIGINT
 * prints "accepted N" and exits 0; 1 on error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static unsigned long accepted;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);

	(void)nfmsg;
	(void)data;
	if (!ph)
		return -1;
	accepted++;
	return nfq_set_verdict(qh, ntohl(ph->packet_id), NF_ACCEPT, 0, NULL);
}

int main(int argc, char **argv)
{
	/* No SA_RESTART: a signal must end the blocking recv(). */
	struct sigaction sa = { .sa_handler = on_signal };
	const char *ready = NULL;
	struct nfq_q_handle *qh;
	struct nfq_handle *h;
	char buf[65536];
	int fd, opt, n, queue = 0;

	while ((opt = getopt(argc, argv, "q:r:")) != -1) {
		switch (opt) {
		case 'q': queue = atoi(optarg); break;
		case 'r': ready = optarg; break;
		default:
			fprintf(stderr, "usage: nfq_accept [-q QUEUE] [-r READYFILE]\n");
			return 1;
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	h = nfq_open();
	if (!h) {
		perror("nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, queue, on_packet, NULL);
	if (!qh || nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
		perror("nfq_create_queue");
		nfq_close(h);
		return 1;
	}
	/*
	 * Room for bursts on a slow kernel (the KASAN one of check-debug):
	 * a full queue drops, and the test counts every packet.
	 */
	nfq_set_queue_maxlen(qh, 8192);
	nfnl_rcvbufsiz(nfq_nfnlh(h), 4 << 20);
	fd = nfq_fd(h);
	if (ready && close(open(ready, O_WRONLY | O_CREAT, 0644)) < 0) {
		perror(ready);
		return 1;
	}
	while (!stop) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			/* ENOBUFS: verdicts fell behind; the kernel dropped some. */
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			perror("recv");
			break;
		}
		nfq_handle_packet(h, buf, n);
	}
	nfq_destroy_queue(qh);
	nfq_close(h);
	printf("accepted %lu\n", accepted);
	return stop ? 0 : 1;
}
