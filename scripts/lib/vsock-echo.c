/* A tiny AF_VSOCK tool for the QEMU probe (scripts/vm-qemu): "serve PORT" echoes every
 * connection; "send CID PORT BYTES" writes BYTES, shuts its output and prints the reply. */
#include <sys/socket.h>
#include <linux/vm_sockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>

static int serve(unsigned port) {
    int s = socket(AF_VSOCK, SOCK_STREAM, 0);
    struct sockaddr_vm a = {.svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY, .svm_port = port};
    if (s < 0 || bind(s, (void *)&a, sizeof a) || listen(s, 64)) { perror("listen"); return 1; }
    signal(SIGCHLD, SIG_IGN);
    printf("vsock-echo: listening on %u\n", port); fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        if (fork() == 0) {
            static char buf[65536];
            ssize_t n;
            while ((n = read(c, buf, sizeof buf)) > 0) {
                for (ssize_t off = 0; off < n;) { ssize_t w = write(c, buf + off, n - off); if (w <= 0) _exit(1); off += w; }
            }
            _exit(0);
        }
        close(c);
    }
}

static int send_bytes(unsigned cid, unsigned port, long long bytes) {
    int s = socket(AF_VSOCK, SOCK_STREAM, 0);
    struct sockaddr_vm a = {.svm_family = AF_VSOCK, .svm_cid = cid, .svm_port = port};
    if (s < 0 || connect(s, (void *)&a, sizeof a)) { perror("connect"); return 1; }
    static char buf[65536];
    memset(buf, 'g', sizeof buf);
    for (long long left = bytes; left > 0;) {
        ssize_t w = write(s, buf, left < (long long)sizeof buf ? left : (long long)sizeof buf);
        if (w <= 0) { perror("write"); return 1; }
        left -= w;
    }
    shutdown(s, SHUT_WR);
    ssize_t n; char reply[256]; size_t got = 0;
    while ((n = read(s, reply + got, sizeof reply - 1 - got)) > 0) got += n;
    reply[got] = 0;
    printf("vsock-echo: host replied: %s\n", reply); fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "serve")) return serve(atoi(argv[2]));
    if (argc == 5 && !strcmp(argv[1], "send")) return send_bytes(atoi(argv[2]), atoi(argv[3]), atoll(argv[4]));
    fprintf(stderr, "usage: vsock-echo serve PORT | send CID PORT BYTES\n");
    return 2;
}
