package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Which sockets a call dials with: the JDK's channels only when the calling platform thread alone
 * uses the connection (buffered exec, stream), the native layer when relay threads serve it or
 * the caller is a virtual thread, whose blocking on a JDK channel would start the JDK's pollers
 * and hold up the JVM's exit.
 */
class ConnectorTest {
    @Test
    void aCallThatStaysOnItsPlatformThreadDialsThroughTheJdk() {
        assertThat(Connector.dialOptions(true).jdkChannel()).isTrue();
    }

    @Test
    void aCallServedByRelayThreadsDialsThroughTheNativeLayer() {
        assertThat(Connector.dialOptions(false).jdkChannel()).isFalse();
    }

    @Test
    void aVirtualThreadDialsThroughTheNativeLayer() throws InterruptedException {
        AtomicBoolean jdk = new AtomicBoolean(true);
        Thread.ofVirtual().start(() -> jdk.set(Connector.dialOptions(true).jdkChannel())).join();
        assertThat(jdk).isFalse();
    }
}
