package io.vsockexec.client;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * The outcome of a call whose frames are read on a thread of its own, for the handle forms
 * ({@link PipeExecution}, {@link TtySession}): set once by that thread, awaited by the caller.
 */
final class Completion {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile ExecStatus status;
    private volatile IOException failure;

    void succeed(ExecStatus s) {
        status = s;
        done.countDown();
    }

    void fail(IOException e) {
        failure = e;
        done.countDown();
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    /**
     * Waits for the outcome. Being interrupted cancels the call, as every blocking call of the
     * SDK does, and throws {@link java.io.InterruptedIOException} with the interrupt status kept.
     */
    ExecStatus await(ExecCall call) throws IOException {
        try {
            done.await();
        } catch (InterruptedException e) {
            call.close();
            throw Connector.interrupted("waiting for the command on " + call.endpoint(), e);
        }
        return outcome();
    }

    private ExecStatus outcome() throws IOException {
        IOException e = failure;
        if (e != null) {
            throw e;
        }
        return status;
    }
}
