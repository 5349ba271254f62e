package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@code port-forward}'s mappings are read: ssh's and kubectl's forms, and what is refused. */
class ForwardSpecTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "null", value = {
        "8080                    | 127.0.0.1 | 8080 | null         | 8080",
        "8080:80                 | 127.0.0.1 | 8080 | null         | 80",
        ":80                     | 127.0.0.1 | 0    | null         | 80",
        "0:80                    | 127.0.0.1 | 0    | null         | 80",
        "8080:db.internal:5432   | 127.0.0.1 | 8080 | db.internal  | 5432",
        ":10.0.0.5:80            | 127.0.0.1 | 0    | 10.0.0.5     | 80",
        "0.0.0.0:8080:80         | 0.0.0.0   | 8080 | null         | 80",
        "*:8080:80               | 0.0.0.0   | 8080 | null         | 80",
        "localhost:8080:web:80   | localhost | 8080 | web          | 80",
        "[::1]:8080:80           | ::1       | 8080 | null         | 80",
        "8080:[fd00::5]:80       | 127.0.0.1 | 8080 | fd00::5      | 80",
        "[::]:0:[::1]:65535      | ::        | 0    | ::1          | 65535",
    })
    void readsSshAndKubectlForms(String text, String bind, int local, String host, int remote) {
        assertThat(ForwardSpec.parse(text)).isEqualTo(new ForwardSpec(bind, local, host, remote));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "8080:0                  | remote port '0' is not a port: expected 1 to 65535",
        "0                       | remote port '0' is not a port: expected 1 to 65535",
        "8080:65536              | remote port '65536' is not a port",
        "8080:http               | remote port 'http' is not a port",
        "8080:                   | remote port '' is not a port",
        "99999:80                | local port '99999' is not a port: expected 0 to 65535 (0 picks a free port)",
        "-1:80                   | local port '-1' is not a port",
        "host:eighty:80          | local port 'eighty' is not a port",
        "8080:bad_host!:80       | remote host 'bad_host!': not a host name",
        "8080:999.1.1.1:80       | remote host '999.1.1.1': not an IPv4 address",
        "8080::80                | the remote host is empty",
        ":8080:db:80             | the local address is empty",
        "::1:8080:80             | expected [ADDR:]LOCAL_PORT:[REMOTE_HOST:]REMOTE_PORT, with IPv6 addresses in brackets",
        "[::1:8080:80            | '[' without ']'",
        "[::1]8080:80            | expected ':' after ']'",
        "[zz::1]:8080:80         | local address 'zz::1': not an IPv6 address",
    })
    void aBadMappingIsRefusedNamingTheBadPart(String text, String message) {
        assertThatThrownBy(() -> ForwardSpec.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid forward '" + text + "': " + message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "8080:80            | 8080 | 127.0.0.1:8080 | 127.0.0.1:80",
        ":80                | 41000 | 127.0.0.1:41000 | 127.0.0.1:80",
        "[::1]:0:[::1]:80   | 41000 | [::1]:41000 | [::1]:80",
        "8080:db:5432       | 8080 | 127.0.0.1:8080 | db:5432",
    })
    void theLineTellsThePortListenedOnAndTheTarget(String text, int bound, String listen, String remote) {
        ForwardSpec spec = ForwardSpec.parse(text);

        assertThat(spec.listenText(bound)).isEqualTo(listen);
        assertThat(spec.remoteText()).isEqualTo(remote);
    }
}
