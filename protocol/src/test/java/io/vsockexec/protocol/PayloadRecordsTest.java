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
        assertThat(request.stdin()).isEqualTo(Bytes.EMPTY);
        assertThat(request.user()).isEmpty();
        assertThat(request).isEqualTo(new ExecRequest("ls", List.of(), "", Map.of(), Bytes.EMPTY, ""));
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
        ExecRequest request = new ExecRequest("x", args, null, env, Bytes.of(stdin), null);

        args.add("b");
        env.put("L", "w");
        stdin[0] = 'X';
        request.stdin().toByteArray()[1] = 'Y';

        assertThat(request.args()).containsExactly("a");
        assertThat(request.env()).containsOnlyKeys("K");
        assertThat(request.stdin()).isEqualTo(Bytes.utf8("in"));
        assertThatThrownBy(() -> request.args().add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.env().put("M", "")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void execRequestComparesContentIncludingStdin() {
        ExecRequest a = new ExecRequest("x", List.of("1"), "/", Map.of("K", "v"), Bytes.utf8("in"), "u");
        ExecRequest b = new ExecRequest("x", List.of("1"), "/", new HashMap<>(Map.of("K", "v")), Bytes.utf8("in"), "u");
        ExecRequest c = new ExecRequest("x", List.of("1"), "/", Map.of("K", "v"), Bytes.utf8("IN"), "u");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void execRequestToStringHidesEnvValuesAndStdin() {
        ExecRequest request = new ExecRequest("deploy", null, null, Map.of("TOKEN", "s3cret"), Bytes.utf8("pw"), null);

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
    void execResponseTurnsNullsIntoEmptyValuesAndComparesContent() {
        ExecResponse response = new ExecResponse(0, Bytes.utf8("out"), null, null);

        assertThat(response.stdout()).isEqualTo(Bytes.utf8("out"));
        assertThat(response.stderr()).isEqualTo(Bytes.EMPTY);
        assertThat(response.error()).isEmpty();
        assertThat(response).isEqualTo(new ExecResponse(0, Bytes.utf8("out"), Bytes.EMPTY, ""))
                .hasSameHashCodeAs(new ExecResponse(0, Bytes.utf8("out"), Bytes.EMPTY, ""));
        assertThat(new ExecResponse(0, Bytes.utf8("zzz"), null, null).toString())
                .contains("stdout=3 bytes").doesNotContain("zzz");
    }

    @Test
    void execResponsesThatDifferInAnyComponentAreNotEqual() {
        ExecResponse a = new ExecResponse(0, Bytes.utf8("out"), Bytes.utf8("err"), "");

        assertThat(a).isNotEqualTo(new ExecResponse(1, Bytes.utf8("out"), Bytes.utf8("err"), ""))
                .isNotEqualTo(new ExecResponse(0, Bytes.utf8("OUT"), Bytes.utf8("err"), ""))
                .isNotEqualTo(new ExecResponse(0, Bytes.utf8("out"), Bytes.utf8("ERR"), ""))
                .isNotEqualTo(new ExecResponse(0, Bytes.utf8("out"), Bytes.utf8("err"), "x"));
    }

    @Test
    void fileResponseComparesContentByValue() {
        FileResponse a = new FileResponse(Bytes.utf8("data"), null, null);

        assertThat(a).isEqualTo(new FileResponse(Bytes.utf8("data"), List.of(), ""))
                .hasSameHashCodeAs(new FileResponse(Bytes.utf8("data"), List.of(), ""))
                .isNotEqualTo(new FileResponse(Bytes.utf8("DATA"), null, null))
                .isNotEqualTo(new FileResponse(Bytes.utf8("data"), null, "failed"));
        assertThat(a.toString()).contains("content=4 bytes").doesNotContain("data");
    }

    @Test
    void writeFileRequestComparesContentByValue() {
        WriteFileRequest a = new WriteFileRequest("/f", Bytes.utf8("data"), 0644);

        assertThat(a).isEqualTo(new WriteFileRequest("/f", Bytes.utf8("data"), 0644))
                .hasSameHashCodeAs(new WriteFileRequest("/f", Bytes.utf8("data"), 0644))
                .isNotEqualTo(new WriteFileRequest("/g", Bytes.utf8("data"), 0644))
                .isNotEqualTo(new WriteFileRequest("/f", Bytes.utf8("DATA"), 0644))
                .isNotEqualTo(new WriteFileRequest("/f", Bytes.utf8("data"), 0600));
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
