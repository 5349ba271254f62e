package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadRecordsTest {

    @Test
    void execRequestTurnsNullsIntoEmptyValues() {
        ExecRequest request = new ExecRequest("ls", null, null, null, null, null);

        assertThat(request.args()).isEmpty();
        assertThat(request.workingDir()).isEmpty();
        assertThat(request.env()).isEmpty();
        assertThat(request.stdin()).isEmpty();
        assertThat(request.user()).isEmpty();
        assertThat(request).isEqualTo(new ExecRequest("ls", List.of(), "", Map.of(), new byte[0], ""));
    }

    @Test
    void execRequestRejectsNullCommandAndNullElements() {
        assertThatThrownBy(() -> ExecRequest.of(null)).isInstanceOf(NullPointerException.class).hasMessage("command");
        assertThatThrownBy(() -> new ExecRequest("x", Arrays.asList("a", null), null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("args[1] is null");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", null);
        assertThatThrownBy(() -> new ExecRequest("x", null, null, env, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("key PATH");
    }

    @Test
    void execRequestKeepsItsOwnCopies() {
        List<String> args = new ArrayList<>(List.of("a"));
        Map<String, String> env = new HashMap<>(Map.of("K", "v"));
        byte[] stdin = "in".getBytes(UTF_8);
        ExecRequest request = new ExecRequest("x", args, null, env, stdin, null);

        args.add("b");
        env.put("L", "w");
        stdin[0] = 'X';
        request.stdin()[1] = 'Y';

        assertThat(request.args()).containsExactly("a");
        assertThat(request.env()).containsOnlyKeys("K");
        assertThat(request.stdin()).isEqualTo("in".getBytes(UTF_8));
        assertThatThrownBy(() -> request.args().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.env().put("M", "")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void execRequestComparesContentIncludingStdin() {
        ExecRequest a = new ExecRequest("x", List.of("1"), "/", Map.of("K", "v"), "in".getBytes(UTF_8), "u");
        ExecRequest b = new ExecRequest("x", List.of("1"), "/", new HashMap<>(Map.of("K", "v")), "in".getBytes(UTF_8), "u");
        ExecRequest c = new ExecRequest("x", List.of("1"), "/", Map.of("K", "v"), "IN".getBytes(UTF_8), "u");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void execRequestToStringHidesEnvValuesAndStdin() {
        ExecRequest request = new ExecRequest("deploy", null, null, Map.of("TOKEN", "s3cret"), "pw".getBytes(UTF_8), null);

        assertThat(request.toString()).contains("deploy", "TOKEN", "stdin=2 bytes").doesNotContain("s3cret", "pw");
    }

    @Test
    void execRequestKeepsEnvSortedAsGoSortsKeys() {
        Map<String, String> env = new HashMap<>(Map.of("\uD83D\uDE00", "", "\uFF21", "", "a", "", "B", ""));

        assertThat(new ExecRequest("x", null, null, env, null, null).env().keySet())
                .containsExactly("B", "a", "\uFF21", "\uD83D\uDE00");
    }

    @Test
    void stringsWithUnpairedSurrogatesHoldReplacementCharacters() {
        ExecRequest request = new ExecRequest("a\uD800", List.of("\uDC00b"), "\uDBFF\uDFFF", Map.of("k\uD800", "\uDFFF"),
                null, "\uD83D");

        assertThat(request.command()).isEqualTo("a\uFFFD");
        assertThat(request.args()).containsExactly("\uFFFDb");
        assertThat(request.workingDir()).isEqualTo("\uDBFF\uDFFF");
        assertThat(request.env()).containsExactly(Map.entry("k\uFFFD", "\uFFFD"));
        assertThat(request.user()).isEqualTo("\uFFFD");
    }

    @Test
    void execTtyRequestRejectsSizeOutsideUint16NamingIt() {
        assertThatThrownBy(() -> ExecTtyRequest.of("sh", 65536, 80))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rows must be between 0 and 65535, got 65536");
        assertThatThrownBy(() -> ExecTtyRequest.of("sh", 24, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cols must be between 0 and 65535, got -1");
    }

    @Test
    void execTtyRequestNormalizesLikeExecRequest() {
        ExecTtyRequest request = new ExecTtyRequest("sh", null, null, Map.of("TERM", "dumb"), 24, 80, null);

        assertThat(request).isEqualTo(new ExecTtyRequest("sh", List.of(), "", Map.of("TERM", "dumb"), 24, 80, ""));
        assertThat(request.size()).isEqualTo(new WindowSize(24, 80));
        assertThat(request.toString()).contains("TERM").doesNotContain("dumb");
    }

    @Test
    void execResponseKeepsItsOwnCopiesAndComparesContent() {
        byte[] out = "out".getBytes(UTF_8);
        ExecResponse response = new ExecResponse(0, out, null, null);
        out[0] = 'X';
        response.stdout()[0] = 'Y';

        assertThat(response.stdout()).isEqualTo("out".getBytes(UTF_8));
        assertThat(response.stderr()).isEmpty();
        assertThat(response.error()).isEmpty();
        assertThat(response).isEqualTo(new ExecResponse(0, "out".getBytes(UTF_8), new byte[0], ""))
                .hasSameHashCodeAs(new ExecResponse(0, "out".getBytes(UTF_8), new byte[0], ""));
        assertThat(new ExecResponse(0, "zzz".getBytes(UTF_8), null, null).toString())
                .contains("stdout=3 bytes").doesNotContain("zzz");
    }

    @Test
    void execResponsesThatDifferInAnyComponentAreNotEqual() {
        ExecResponse a = new ExecResponse(0, "out".getBytes(UTF_8), "err".getBytes(UTF_8), "");

        assertThat(a).isNotEqualTo(new ExecResponse(1, "out".getBytes(UTF_8), "err".getBytes(UTF_8), ""))
                .isNotEqualTo(new ExecResponse(0, "OUT".getBytes(UTF_8), "err".getBytes(UTF_8), ""))
                .isNotEqualTo(new ExecResponse(0, "out".getBytes(UTF_8), "ERR".getBytes(UTF_8), ""))
                .isNotEqualTo(new ExecResponse(0, "out".getBytes(UTF_8), "err".getBytes(UTF_8), "x"));
    }

    @Test
    void fileResponseComparesContentByValue() {
        FileResponse a = new FileResponse("data".getBytes(UTF_8), null, null);

        assertThat(a).isEqualTo(new FileResponse("data".getBytes(UTF_8), List.of(), ""))
                .hasSameHashCodeAs(new FileResponse("data".getBytes(UTF_8), List.of(), ""))
                .isNotEqualTo(new FileResponse("DATA".getBytes(UTF_8), null, null))
                .isNotEqualTo(new FileResponse("data".getBytes(UTF_8), null, "failed"));
        assertThat(a.toString()).contains("content=4 bytes").doesNotContain("data");
    }

    @Test
    void writeFileRequestComparesContentByValue() {
        WriteFileRequest a = new WriteFileRequest("/f", "data".getBytes(UTF_8), 0644);

        assertThat(a).isEqualTo(new WriteFileRequest("/f", "data".getBytes(UTF_8), 0644))
                .hasSameHashCodeAs(new WriteFileRequest("/f", "data".getBytes(UTF_8), 0644))
                .isNotEqualTo(new WriteFileRequest("/g", "data".getBytes(UTF_8), 0644))
                .isNotEqualTo(new WriteFileRequest("/f", "DATA".getBytes(UTF_8), 0644))
                .isNotEqualTo(new WriteFileRequest("/f", "data".getBytes(UTF_8), 0600));
        assertThat(a.toString()).contains("content=4 bytes").doesNotContain("data");
    }

    @Test
    void execResponseFailedMeansExitCodeOneWithReason() {
        assertThat(ExecResponse.failed("no such user: bob")).isEqualTo(new ExecResponse(1, null, null, "no such user: bob"));
    }

    @Test
    void windowSizeRejectsValuesOutsideUint16NamingThem() {
        assertThatThrownBy(() -> new WindowSize(-1, 0)).hasMessage("rows must be between 0 and 65535, got -1");
        assertThatThrownBy(() -> new WindowSize(0, 70000)).hasMessage("cols must be between 0 and 65535, got 70000");
    }

    @Test
    void frameComparesPayloadContentAndToStringGivesOnlyTheLength() {
        Frame frame = new Frame(MessageType.STDOUT, "secret".getBytes(UTF_8));

        assertThat(frame).isEqualTo(new Frame(MessageType.STDOUT, "secret".getBytes(UTF_8)))
                .hasSameHashCodeAs(new Frame(MessageType.STDOUT, "secret".getBytes(UTF_8)))
                .isNotEqualTo(new Frame(MessageType.STDERR, "secret".getBytes(UTF_8)));
        assertThat(frame).hasToString("Frame[STDOUT, 6 bytes]");
    }
}
