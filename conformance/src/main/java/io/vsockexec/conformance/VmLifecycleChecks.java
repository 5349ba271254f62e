package io.vsockexec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.client.Command;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import io.vsockexec.vm.UmlVm;
import io.vsockexec.vm.VmConfig;
import io.vsockexec.vm.VsockBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Guests that go away in the middle of a transfer, on a back-end of this class's own (in the
 * directory of system property {@value AgentUnderTest#VM_SCRATCH_PROPERTY}): a host client sees its
 * stream end, never a hang, and the back-end takes the next guest's front-end, which serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
public class VmLifecycleChecks {
    /** How long a host client may take to notice that its guest is gone: far more than it needs. */
    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final long CID = 9;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private VsockBackend backend;
    private VmConfig config;

    @BeforeAll
    void startBackend() throws IOException {
        Path dir = Path.of(AgentUnderTest.required(AgentUnderTest.VM_SCRATCH_PROPERTY, "/DIR"));
        Files.createDirectories(dir);
        config = VmConfig.of(dir.resolve("guest")).withCid(CID);
        backend = VsockBackend.start(dir.resolve("vhost.sock"), dir.resolve("vm.sock"), CID);
    }

    @AfterAll
    void stopBackend() {
        threads.shutdownNow();
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    @Order(1)
    void aGuestThatCrashesMidTransferEndsItsHostClientsStreams() throws Exception {
        try (UmlVm vm = UmlVm.start(config, backend)) {
            vm.awaitReady();
            Future<?> transfer = endlessTransfer(vm.execEndpoint());
            vm.kill();
            assertEnds(transfer);
            assertThat(backend.awaitNoFrontEnd(NOTICE)).as("the crashed guest's front-end is gone").isTrue();
        }
    }

    @Test
    @Order(2)
    void aGuestThatPowersOffMidTransferEndsItsHostClientsStreams() throws Exception {
        UmlVm vm = UmlVm.start(config, backend);
        try {
            vm.awaitReady();
            assertThat(backend.sessions()).as("the back-end took the next guest").isEqualTo(2);
            Future<?> transfer = endlessTransfer(vm.execEndpoint());
            vm.close();
            assertEnds(transfer);
        } finally {
            vm.close();
        }
    }

    @Test
    @Order(3)
    void theBackEndServesTheGuestAfterThose() throws Exception {
        try (UmlVm vm = UmlVm.start(config, backend)) {
            vm.awaitReady();
            assertThat(VsockExecClient.of(vm.execEndpoint()).exec(Command.shell("vsockexec cid")).stdoutText().strip())
                    .isEqualTo(String.valueOf(CID));
        }
        assertThat(backend.streamCount()).as("streams left open").isZero();
    }

    /** Streams zeros from the guest until the stream ends; returns once bytes flow. */
    private Future<?> endlessTransfer(Endpoint exec) throws InterruptedException {
        AtomicLong received = new AtomicLong();
        Future<?> f = threads.submit(() -> VsockExecClient.of(exec).stream(Command.shell("exec cat /dev/zero"),
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        received.incrementAndGet();
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        received.addAndGet(len);
                    }
                }, OutputStream.nullOutputStream()));
        Processes.awaitTrue(() -> received.get() > (4 << 20) || f.isDone(), "the transfer never got going");
        assertThat(f.isDone()).as("the transfer ended before the guest went away").isFalse();
        return f;
    }

    /** The transfer ends (with an error: the guest is gone) rather than hang. */
    private static void assertEnds(Future<?> transfer) throws InterruptedException {
        try {
            transfer.get(NOTICE.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
            return; // the client saw the stream break
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the host client still waits " + NOTICE + " after its guest went away");
        }
    }
}
