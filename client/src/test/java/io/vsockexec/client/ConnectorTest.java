package io.vsockexec.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Which sockets a call dials with: the JDK's channels only when the options ask for them (a command
 * line does) and the calling platform thread alone uses the connection (buffered exec, stream),
 * the native layer by default, when relay threads serve it, or
 * the caller is a virtual thread, whose blocking on a JDK channel would start the JDK's pollers
 * and hold up the JVM's exit.
 */
class ConnectorTest {
    @Test
    void aCallThatStaysOnItsPlatformThreadDialsThroughTheJdk() {
        assertThat(Connector.dialOptions(true).jdkChannel()).isTrue();
    }

    @Test
    void theSdkByDefaultDialsThroughTheNativeLayerForBulkStreams() {
        assertThat(ClientOptions.defaults().jdkChannels()).isFalse();
        assertThat(Connector.dialOptions(ClientOptions.defaults(), true).jdkChannel()).isFalse();
    }

    @Test
    void optionsThatAskForJdkChannelsGetThemForACallerOnlyConnection() {
        ClientOptions quick = ClientOptions.defaults().withJdkChannels(true);
        assertThat(Connector.dialOptions(quick, true).jdkChannel()).isTrue();
        assertThat(Connector.dialOptions(quick, false).jdkChannel()).isFalse();
        assertThat(quick.withMaxFrame(1024).withCallTimeout(java.time.Duration.ofSeconds(1)).jdkChannels()).isTrue();
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
