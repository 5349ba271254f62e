package io.vsockexec.transport;

import static io.vsockexec.transport.TestIo.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.nativeio.ErrnoException;
import org.junit.jupiter.api.Test;

/** TCP listens on loopback unless told, insecurely, otherwise. */
// Listeners and connections are often held by try-with-resources only so that they close.
@SuppressWarnings("try")
class TcpListenTest {

    @Test
    void refusesNonLoopbackTcpWithoutInsecureOption() {
        Endpoint everywhere = Endpoint.parse("tcp://0.0.0.0:0");
        assertThatThrownBy(() -> Transports.listen(everywhere))
                .isInstanceOf(InsecureEndpointException.class)
                .hasMessage("refusing to listen on tcp://0.0.0.0:0: 0.0.0.0 is not a loopback address, and TCP"
                        + " carries no authentication; set ListenOptions.allowInsecureNonLoopbackTcp(true) to listen"
                        + " there anyway")
                .satisfies(e -> assertThat(((InsecureEndpointException) e).endpoint()).isEqualTo(everywhere));
    }

    @Test
    void listensOnEveryAddressWhenTheInsecureOptionIsSet() throws Exception {
        ListenOptions insecure = ListenOptions.defaults().allowInsecureNonLoopbackTcp(true);
        // Bound only; nothing here connects to a non-loopback address.
        try (Listener listener = Transports.listen(Endpoint.parse("tcp://0.0.0.0:0"), insecure)) {
            TcpEndpoint bound = (TcpEndpoint) listener.endpoint();
            assertThat(bound.host()).isEqualTo("0.0.0.0");
            assertThat(bound.port()).isPositive();
        }
    }

    @Test
    void portZeroIsReplacedByTheChosenPortAndTheHostIsKept() throws Exception {
        try (Listener listener = Transports.listen(Endpoint.parse("tcp://localhost:0"))) {
            TcpEndpoint bound = (TcpEndpoint) listener.endpoint();
            assertThat(bound.host()).isEqualTo("localhost");
            assertThat(bound.port()).isPositive();
            try (Connection dialed = Transports.dial(bound, patience())) {
                assertThat(listener.accept(patience()).isOpen()).isTrue();
            }
        }
    }

    @Test
    void refusedConnectNamesTheEndpoint() throws Exception {
        Endpoint closed;
        try (Listener listener = Transports.listen(Endpoint.parse("tcp://127.0.0.1:0"))) {
            closed = listener.endpoint();
        }
        assertThatThrownBy(() -> Transports.dial(closed, patience()))
                .isInstanceOf(ErrnoException.class)
                .hasMessage("connect " + closed + ": ECONNREFUSED (Connection refused)");
    }

    @Test
    void takenPortIsAddressInUseNamingTheEndpoint() throws Exception {
        try (Listener first = Transports.listen(Endpoint.parse("tcp://127.0.0.1:0"))) {
            assertThatThrownBy(() -> Transports.listen(first.endpoint()))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("bind " + first.endpoint() + ": EADDRINUSE (Address already in use)");
        }
    }
}
