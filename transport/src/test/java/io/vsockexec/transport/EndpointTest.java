package io.vsockexec.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

    @Test
    void parsesVsockWithNumericCid() {
        assertThat(Endpoint.parse("vsock://3:5000")).isEqualTo(new VsockEndpoint(3, 5000));
    }

    @Test
    void parsesVsockCidNamesAndLargestNumbers() {
        assertThat(Endpoint.parse("vsock://any:5000")).isEqualTo(VsockEndpoint.anyCid(5000));
        assertThat(Endpoint.parse("vsock://host:1")).isEqualTo(new VsockEndpoint(VsockEndpoint.CID_HOST, 1));
        assertThat(Endpoint.parse("vsock://local:1")).isEqualTo(new VsockEndpoint(VsockEndpoint.CID_LOCAL, 1));
        assertThat(Endpoint.parse("vsock://4294967294:4294967295"))
                .isEqualTo(new VsockEndpoint(4294967294L, VsockEndpoint.PORT_ANY));
    }

    @Test
    void parsesHybridTakingThePortAfterTheLastColon() {
        assertThat(Endpoint.parse("hybrid:///run/vm.sock:5000"))
                .isEqualTo(new HybridEndpoint(Path.of("/run/vm.sock"), 5000));
        assertThat(Endpoint.parse("hybrid:///run/a:b/vm.sock:52"))
                .isEqualTo(new HybridEndpoint(Path.of("/run/a:b/vm.sock"), 52));
    }

    @Test
    void parsesUnixWithAbsolutePath() {
        assertThat(Endpoint.parse("unix:///tmp/agent.sock")).isEqualTo(new UnixEndpoint(Path.of("/tmp/agent.sock")));
    }

    @Test
    void parsesTcpWithNameIpv4AndBracketedIpv6() {
        assertThat(Endpoint.parse("tcp://localhost:80")).isEqualTo(new TcpEndpoint("localhost", 80));
        assertThat(Endpoint.parse("tcp://127.0.0.1:0")).isEqualTo(new TcpEndpoint("127.0.0.1", 0));
        assertThat(Endpoint.parse("tcp://[::1]:65535")).isEqualTo(new TcpEndpoint("::1", 65535));
        assertThat(Endpoint.parse("tcp://vm-3.example.internal:5000"))
                .isEqualTo(new TcpEndpoint("vm-3.example.internal", 5000));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "vsock://3:5000", "vsock://any:5000", "vsock://0:0", "vsock://4294967294:4294967295",
        "hybrid:///run/vm.sock:5000", "hybrid:///run/a:b/vm.sock:1",
        "unix:///tmp/agent.sock",
        "tcp://localhost:80", "tcp://127.0.0.1:0", "tcp://[::1]:5000", "tcp://[fe80::1]:22"
    })
    void canonicalTextParsesBackToItself(String text) {
        Endpoint endpoint = Endpoint.parse(text);
        assertThat(endpoint).hasToString(text);
        assertThat(Endpoint.parse(endpoint.toString())).isEqualTo(endpoint);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        vsock://host:5000     | vsock://2:5000
        vsock://local:5000    | vsock://1:5000
        vsock://007:5000      | vsock://7:5000
        unix:///tmp//a.sock   | unix:///tmp/a.sock
        """)
    void aliasesPrintInCanonicalForm(String text, String canonical) {
        assertThat(Endpoint.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
        ''                              | expected SCHEME://ADDRESS
        vsock                           | expected SCHEME://ADDRESS
        /tmp/agent.sock                 | expected SCHEME://ADDRESS
        http://example.com:80           | unknown scheme "http"; expected vsock, hybrid, unix or tcp
        VSOCK://3:5000                  | unknown scheme "VSOCK"
        vsock://3                       | missing port; expected vsock://CID:PORT
        vsock://3:                      | missing port; expected vsock://CID:PORT
        vsock://:5000                   | missing CID; expected vsock://CID:PORT
        vsock://-1:5                    | CID "-1" is not a decimal number; expected vsock://CID:PORT
        vsock://3:-5                    | port "-5" is not a decimal number
        vsock://guest:5                 | CID "guest" is not a decimal number
        vsock://4294967296:5            | CID 4294967296 is out of range 0 to 4294967295
        vsock://3:99999999999999999999  | port 99999999999999999999 is out of range 0 to 4294967295
        vsock://3:5000/path             | port "5000/path" is not a decimal number
        vsock://3:5000:6                | port "5000:6" is not a decimal number
        'vsock://3:5000 '               | port "5000 " is not a decimal number
        vsock://3:+5                    | port "+5" is not a decimal number
        vsock://3:0x10                  | port "0x10" is not a decimal number
        hybrid://                       | the socket path must be absolute; expected hybrid:///ABSOLUTE/PATH:PORT
        hybrid://vm.sock:5000           | the socket path must be absolute
        hybrid:///run/vm.sock           | missing port; expected hybrid:///ABSOLUTE/PATH:PORT
        hybrid:///run/vm.sock:          | missing port
        hybrid:///run/vm.sock:x         | port "x" is not a decimal number
        hybrid:///run/vm.sock:4294967296 | port 4294967296 is out of range 0 to 4294967295
        hybrid:///run/:5000             | the socket path must name a file
        hybrid:///:5000                 | the socket path must name a file
        unix://                         | missing path; expected unix:///ABSOLUTE/PATH
        unix://agent.sock               | the socket path must be absolute; expected unix:///ABSOLUTE/PATH
        unix://./agent.sock             | the socket path must be absolute
        unix:///tmp/                    | the socket path must name a file
        unix:/tmp/agent.sock            | expected SCHEME://ADDRESS
        tcp://localhost                 | missing port; expected tcp://HOST:PORT
        tcp://:80                       | missing host
        tcp://localhost:                | missing port
        tcp://localhost:65536           | port 65536 is out of range 0 to 65535
        tcp://localhost:http            | port "http" is not a decimal number
        tcp://localhost:80/             | port "80/" is not a decimal number
        tcp://[::1                      | missing "]" after the IPv6 address
        tcp://[::1]                     | missing port
        tcp://[::1]80                   | unexpected "80" after "]"
        tcp://[::1]:                    | missing port
        tcp://[]:80                     | missing host
        tcp://[zz]:80                   | not an IPv6 address: "zz"
        tcp://[[::1]]:80                | unexpected "]:80" after "]"
        tcp://[localhost]:80            | not an IPv6 address: "localhost"
        tcp://::1:80                    | an IPv6 address must be in brackets, as in tcp://[::1]:PORT
        tcp://999.1.1.1:80              | not an IPv4 address (expected four numbers 0 to 255): 999.1.1.1
        tcp://127.1:80                  | not an IPv4 address
        tcp://bad_host!:80              | not a host name
        tcp://a..b:80                   | not a host name
        tcp://-a:80                     | not a host name
        """)
    void rejectsMalformedTextQuotingIt(String text, String problem) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageStartingWith("invalid endpoint \"" + text + "\": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((InvalidEndpointException) e).input()).isEqualTo(text));
    }

    @Test
    void rejectsAPathTooLongForAUnixSocket() {
        String text = "unix:///" + "d".repeat(120);
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("socket path must be at most 107 bytes long, is 121");
    }

    @Test
    void escapesControlCharactersInTheQuotedInput() {
        assertThatThrownBy(() -> Endpoint.parse("vsock://3:5\n"))
                .hasMessage("invalid endpoint \"vsock://3:5\\n\": port \"5\\n\" is not a decimal number;"
                        + " expected vsock://CID:PORT (CID: a number, any, local or host)");
    }

    @Test
    void rejectsANulInAPath() {
        assertThatThrownBy(() -> Endpoint.parse("unix:///tmp/a\0b"))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("not a valid path");
    }

    @Test
    void recordsValidateWhenBuiltInCode() {
        assertThatThrownBy(() -> new VsockEndpoint(-1, 5)).hasMessage("CID must be 0 to 4294967295, is -1");
        assertThatThrownBy(() -> new TcpEndpoint("localhost", 70000)).hasMessage("port must be 0 to 65535, is 70000");
        assertThatThrownBy(() -> new UnixEndpoint(Path.of("relative.sock")))
                .hasMessage("socket path must be absolute: relative.sock");
        assertThatThrownBy(() -> new TcpEndpoint("[::1]", 80)).hasMessage("IPv6 address without brackets expected: [::1]");
        assertThatThrownBy(() -> new HybridEndpoint(Path.of("/run/vm.sock"), 1L << 32))
                .hasMessage("port must be 0 to 4294967295, is 4294967296");
    }
}
