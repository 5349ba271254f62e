package io.vsockexec.agent;

import io.vsockexec.base.Log;
import io.vsockexec.transport.Connection;
import io.vsockexec.transport.Listener;
import java.util.List;

/** The readiness endpoints: each accepts a connection and closes it at once; a successful connect is the whole answer. */
final class ReadinessResponder {
    private final List<Thread> threads;

    private ReadinessResponder(List<Listener> listeners, Log log) {
        this.threads = listeners.stream()
                .map(l -> Thread.ofVirtual().name("vsockexec ready " + l.endpoint()).start(() -> answer(l, log)))
                .toList();
    }

    /** Starts answering on {@code listeners}, a thread each. */
    static ReadinessResponder start(List<Listener> listeners, Log log) {
        return new ReadinessResponder(listeners, log);
    }

    /** Waits for the threads to end, which they do once their listeners are closed. */
    void join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void answer(Listener listener, Log log) {
        NextConnection next = new NextConnection(listener, log);
        Connection c;
        while ((c = next.accept(false)) != null) {
            c.close();
        }
    }
}
