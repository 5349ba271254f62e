package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Timeout;
import io.vsockexec.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static final Endpoint UNIX = Endpoint.parse("unix:///tmp/a.sock");

    @Test
    void defaultsAreTheGoReferencePortsAndTheDocumentedLimits() {
        AgentConfig c = AgentConfig.defaults();

        assertThat(c.listen()).containsExactly(Endpoint.parse("vsock://any:5000"));
        assertThat(c.ready()).containsExactly(Endpoint.parse("vsock://any:5002"));
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.maxSessions()).isEqualTo(256);
        assertThat(c.maxFrame()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxPending()).isEqualTo(1024);
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.stallTimeout()).isEqualTo(Timeout.of(Duration.ofMinutes(10)));
        assertThat(c.cgroups()).isTrue();
        assertThat(c.favorDynmods()).isTrue();
        assertThat(c.allowInsecureTcp()).isFalse();
        assertThat(c.subreaper()).isFalse();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        AgentConfig c = AgentConfig.builder().listen(UNIX).ready(List.of()).grace(Duration.ZERO).maxSessions(3)
                .maxFrame(1 << 20).drainTimeout(Duration.ofMillis(1)).requestTimeout(Duration.ofSeconds(1))
                .maxPending(5).handshakeTimeout(Duration.ofSeconds(1)).stallTimeout(Timeout.NONE).cgroups(false).favorDynmods(false).allowInsecureTcp(true).subreaper(true).build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> AgentConfig.builder().listen(List.of()).build())
                .hasMessage("at least one listen endpoint is needed");
        assertThatThrownBy(() -> AgentConfig.builder().listen(UNIX).ready(UNIX).build())
                .hasMessage("endpoint given twice: unix:///tmp/a.sock");
        assertThatThrownBy(() -> AgentConfig.builder().grace(Duration.ofSeconds(-1)).build())
                .hasMessage("grace must not be negative: PT-1S");
        assertThatThrownBy(() -> AgentConfig.builder().requestTimeout(Duration.ZERO).build())
                .hasMessage("request timeout must be positive: PT0S");
        assertThatThrownBy(() -> AgentConfig.builder().maxSessions(0).build())
                .hasMessage("max sessions must be 1 to 65536: 0");
        assertThatThrownBy(() -> AgentConfig.builder().maxPending(0).build())
                .hasMessage("max pending must be 1 to 65536: 0");
        assertThatThrownBy(() -> AgentConfig.builder().stallTimeout(null).build())
                .hasMessage("stall timeout");
        assertThatThrownBy(() -> AgentConfig.builder().maxFrame(1000).build())
                .hasMessage("max frame must be between 65536 and 1073741824 bytes, got 1000");
    }
}
