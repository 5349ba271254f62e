package io.vsockexec.conformance;

import io.vsockexec.base.Deadline;
import io.vsockexec.nativeio.NativeServerSocket;
import io.vsockexec.nativeio.NativeSocket;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.transport.Transports;
import io.vsockexec.vm.VsockBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A second, independent front-end for the vsock back-end: QEMU's {@code vhost-user-vsock-pci}
 * (TCG, no KVM; guest memory a shared memfd), booting a Debian kernel with a small initramfs
 * whose {@code vsock-echo} echoes on vsock port 5000 and sends 16 MiB to the host's port 1234
 * (started by {@code scripts/vm-qemu}). Checks that a host client reaches the guest, that 16 MiB
 * echo through it intact, and that the guest's 16 MiB reach the listener on {@code vm.sock_1234};
 * prints timings and {@code qemu: N passed, M failed}.
 *
 * <pre>QemuVsockMain --kernel VMLINUZ --initrd INITRD --dir DIR</pre>
 */
public final class QemuVsockMain {
    private static final long MIB = 1 << 20;
    private static final long TRANSFER = 16 * MIB;
    private static final Duration BOOT_LIMIT = Duration.ofMinutes(10);

    private QemuVsockMain() {}

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        Path kernel = Path.of(a.get(a.indexOf("--kernel") + 1));
        Path initrd = Path.of(a.get(a.indexOf("--initrd") + 1));
        Path dir = Files.createDirectories(Path.of(a.get(a.indexOf("--dir") + 1)));
        int passed = 0;
        int failed = 0;
        AtomicLong fromGuest = new AtomicLong(-1);
        try (VsockBackend backend = VsockBackend.start(dir.resolve("vhost.sock"), dir.resolve("vm.sock"), 3);
                NativeServerSocket host = NativeServerSocket.bind(UnixDomainSocketAddress.of(dir.resolve("vm.sock_1234")))) {
            Thread.ofVirtual().start(() -> countFromGuest(host, fromGuest));
            long start = System.nanoTime();
            Process qemu = new ProcessBuilder(qemuCommand(kernel, initrd, dir.resolve("vhost.sock")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
            try {
                Endpoint echo = Endpoint.parse("hybrid://" + dir.resolve("vm.sock") + ":5000");
                Connection c = awaitGuest(echo, qemu);
                System.out.printf("  SUCCESSFUL a host client reaches the guest's port 5000 (%.1f s after QEMU started)%n",
                        (System.nanoTime() - start) / 1e9);
                passed++;
                if (echoes(c)) {
                    passed++;
                } else {
                    failed++;
                }
                if (awaitCount(fromGuest) == TRANSFER) {
                    System.out.println("  SUCCESSFUL the guest's 16 MiB reached the host listener on vm.sock_1234");
                    passed++;
                } else {
                    System.out.println("  FAILED the guest's 16 MiB reached the host listener on vm.sock_1234: got "
                            + fromGuest.get());
                    failed++;
                }
            } catch (IOException e) {
                System.out.println("  FAILED " + e);
                failed += 3 - passed;
            } finally {
                qemu.destroy();
                qemu.waitFor();
            }
        }
        System.out.println("qemu: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static List<String> qemuCommand(Path kernel, Path initrd, Path vhost) {
        return List.of("qemu-system-x86_64", "-machine", "q35,accel=tcg,memory-backend=mem", "-m", "512M",
                "-object", "memory-backend-memfd,id=mem,size=512M,share=on",
                "-nographic", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1",
                "-chardev", "socket,id=vsock,path=" + vhost, "-device", "vhost-user-vsock-pci,chardev=vsock");
    }

    private static Connection awaitGuest(Endpoint echo, Process qemu) throws IOException, InterruptedException {
        Deadline deadline = Deadline.after(BOOT_LIMIT);
        while (true) {
            if (!qemu.isAlive()) {
                throw new IOException("QEMU exited with status " + qemu.exitValue() + " before the guest answered");
            }
            try {
                return Transports.dial(echo, Deadline.after(Duration.ofSeconds(20)));
            } catch (IOException notYet) {
                if (deadline.hasPassed()) {
                    throw new IOException("the guest did not answer on port 5000 within " + BOOT_LIMIT, notYet);
                }
                Thread.sleep(500);
            }
        }
    }

    /** Writes 16 MiB of random bytes through the guest's echo and compares what comes back. */
    private static boolean echoes(Connection c) throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        MessageDigest back = MessageDigest.getInstance("SHA-256");
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = c.output(); // not closed: that would close the connection, not half of it
                byte[] buf = new byte[64 * 1024];
                Random random = new Random(17);
                for (long left = TRANSFER; left > 0; left -= buf.length) {
                    random.nextBytes(buf);
                    sent.update(buf);
                    out.write(buf);
                }
                c.shutdownOutput();
            } catch (IOException e) {
                System.out.println("  the echo's writer failed: " + e);
            }
        });
        long start = System.nanoTime();
        long total = 0;
        InputStream in = c.input();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            back.update(buf, 0, n);
            total += n;
        }
        writer.join();
        c.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean intact = total == TRANSFER && Arrays.equals(sent.digest(), back.digest());
        System.out.printf("  %s 16 MiB echo through the guest intact (%d bytes back, %.1f MiB/s each way)%n",
                intact ? "SUCCESSFUL" : "FAILED", total, total / seconds / MIB);
        return intact;
    }

    private static void countFromGuest(NativeServerSocket host, AtomicLong count) {
        try (NativeSocket c = host.accept(Deadline.after(BOOT_LIMIT))) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = c.read(buf, 0, buf.length, Deadline.after(Duration.ofMinutes(2)))) > 0) {
                total += n;
            }
            byte[] reply = ("got " + total).getBytes(StandardCharsets.US_ASCII);
            c.write(reply, 0, reply.length, Deadline.after(Duration.ofSeconds(10)));
            count.set(total);
        } catch (IOException e) {
            count.set(-2);
        }
    }

    private static long awaitCount(AtomicLong count) throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofMinutes(2));
        while (count.get() == -1 && !deadline.hasPassed()) {
            Thread.sleep(100);
        }
        return count.get();
    }
}
