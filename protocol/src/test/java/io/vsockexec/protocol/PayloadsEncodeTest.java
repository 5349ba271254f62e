package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON: each expected value is what Go's {@code json.Marshal} prints for the same struct of
 * {@code pkg/vsock/vsock.go}, worked out from encoding/json's rules (declaration order, omitempty,
 * sorted map keys, StdEncoding base64, HTML-safe escaping).
 */
class PayloadsEncodeTest {

    private static String json(byte[] payload) {
        return new String(payload, UTF_8);
    }

    @Test
    void encodesExecRequestWithEveryFieldInGoFieldOrder() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("B", "2");
        env.put("A", "1");
        ExecRequest request = new ExecRequest(
                "echo hi", List.of("-n", "a b"), "/tmp", env, Bytes.utf8("hi\n"), "1000:1000");

        assertThat(json(ExecPayloads.encode(request))).isEqualTo(
                "{\"command\":\"echo hi\",\"args\":[\"-n\",\"a b\"],\"working_dir\":\"/tmp\","
                        + "\"env\":{\"A\":\"1\",\"B\":\"2\"},\"stdin\":\"aGkK\",\"user\":\"1000:1000\"}");
    }

    @Test
    void encodesTheArgumentVectorLastAfterEveryGoField() {
        ExecRequest request = new ExecRequest("printf '%s|' 'a b'", null, null, null, null, "1",
                List.of("printf", "%s|", "a b"));
        ExecTtyRequest tty = new ExecTtyRequest("ls", null, null, null, 24, 80, null, List.of("ls"));

        assertThat(json(ExecPayloads.encode(request)))
                .isEqualTo("{\"command\":\"printf '%s|' 'a b'\",\"user\":\"1\",\"argv\":[\"printf\",\"%s|\",\"a b\"]}");
        assertThat(json(ExecPayloads.encode(tty))).isEqualTo("{\"command\":\"ls\",\"rows\":24,\"cols\":80,\"argv\":[\"ls\"]}");
    }

    @Test
    void decodesTheArgumentVectorAndIgnoresItsAbsence() throws Exception {
        assertThat(ExecPayloads.decodeExecRequest("{\"command\":\"a b\",\"argv\":[\"a\",\"b\"]}".getBytes(UTF_8)).argv())
                .containsExactly("a", "b");
        assertThat(ExecPayloads.decodeExecTtyRequest("{\"command\":\"a\",\"argv\":null}".getBytes(UTF_8)).argv()).isEmpty();
    }

    @Test
    void encodesExecRequestWithOnlyCommandLeavingOutEmptyFields() {
        assertThat(json(ExecPayloads.encode(ExecRequest.of("ls")))).isEqualTo("{\"command\":\"ls\"}");
    }

    @Test
    void alwaysEncodesCommandEvenWhenEmpty() {
        assertThat(json(ExecPayloads.encode(ExecRequest.of("")))).isEqualTo("{\"command\":\"\"}");
    }

    @Test
    void encodesEmptyStringsInsideNonEmptyArgsAndEnv() {
        ExecRequest request = new ExecRequest("x", List.of(""), null, Map.of("", ""), null, null);

        assertThat(json(ExecPayloads.encode(request)))
                .isEqualTo("{\"command\":\"x\",\"args\":[\"\"],\"env\":{\"\":\"\"}}");
    }

    @Test
    void sortsEnvKeysByTheirUtf8Bytes() {
        // UTF-8 order: "B" 42 < "Z" 5a < "Z1" < "_" 5f < "a" 61 < "b" < "é" c3a9 < U+FF21 efbca1 < U+1F600 f09f9880.
        // Java's String.compareTo would put U+1F600 (a surrogate pair, d83d...) before U+FF21.
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : List.of("\uD83D\uDE00", "b", "\uFF21", "Z1", "é", "_", "a", "Z", "B")) {
            env.put(key, "");
        }
        ExecRequest request = new ExecRequest("x", null, null, env, null, null);

        assertThat(json(ExecPayloads.encode(request))).isEqualTo("{\"command\":\"x\",\"env\":{"
                + "\"B\":\"\",\"Z\":\"\",\"Z1\":\"\",\"_\":\"\",\"a\":\"\",\"b\":\"\",\"é\":\"\","
                + "\"\uFF21\":\"\",\"\uD83D\uDE00\":\"\"}}");
    }

    @Test
    void escapesHtmlCharactersAsGoDoes() {
        assertThat(json(ExecPayloads.encode(ExecRequest.of("a<b>&c && cat <in >out"))))
                .isEqualTo("{\"command\":\"a\\u003cb\\u003e\\u0026c \\u0026\\u0026 cat \\u003cin \\u003eout\"}");
    }

    @Test
    void escapesQuoteBackslashAndControlCharactersAsGoDoes() {
        String command = "\"\\/\b\f\n\r\t\u0000\u0001\u001b\u001f\u007f";

        // Go 1.22+: \b and \f get their short forms; other controls \\u00XX in lowercase hex;
        // '/' and DEL (7f) are left alone.
        assertThat(json(ExecPayloads.encode(ExecRequest.of(command))))
                .isEqualTo("{\"command\":\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001b\\u001f\u007f\"}");
    }

    @Test
    void escapesLineAndParagraphSeparatorsAsGoDoes() {
        assertThat(json(ExecPayloads.encode(ExecRequest.of("a\u2028b\u2029c"))))
                .isEqualTo("{\"command\":\"a\\u2028b\\u2029c\"}");
    }

    @Test
    void writesOtherNonAsciiAsPlainUtf8() {
        byte[] payload = ExecPayloads.encode(ExecRequest.of("é中\uD83D\uDE00\uFFFD"));

        assertThat(TestStreams.hex(payload)).isEqualTo(TestStreams.hex("{\"command\":\"".getBytes(UTF_8))
                + "c3a9" + "e4b8ad" + "f09f9880" + "efbfbd" + TestStreams.hex("\"}".getBytes(UTF_8)));
    }

    @Test
    void escapesEnvKeysLikeValues() {
        ExecRequest request = new ExecRequest("x", null, null, Map.of("<k\"\n", "v&"), null, null);

        assertThat(json(ExecPayloads.encode(request)))
                .isEqualTo("{\"command\":\"x\",\"env\":{\"\\u003ck\\\"\\n\":\"v\\u0026\"}}");
    }

    @Test
    void writesUnpairedSurrogateAsReplacementCharacter() {
        assertThat(json(ExecPayloads.encode(ExecRequest.of("a\uD800b\uDC00")))).isEqualTo("{\"command\":\"a\uFFFDb\uFFFD\"}");
    }

    @Test
    void keepsSurrogatePairsWholeInLongStringsThatOutgrowTheEstimate() {
        // Each emoji is two UTF-16 units written as one four-byte sequence, two bytes more than the
        // size estimate allows, so the array grows while the string is written; a pair split there
        // would come out as two U+FFFD. Shifting by 0 to 6 moves the growth to different emoji.
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append(i % 7 == 3 ? "\uD83D\uDE00" : "a");
        }
        for (int shift = 0; shift < 7; shift++) {
            String command = "b".repeat(shift) + text;

            assertThat(json(ExecPayloads.encode(ExecRequest.of(command))))
                    .isEqualTo("{\"command\":\"" + command + "\"}");
        }
    }

    @Test
    void encodesExecTtyRequestWithRowsAndColsAlways() {
        assertThat(json(ExecPayloads.encode(ExecTtyRequest.of("bash", 24, 80))))
                .isEqualTo("{\"command\":\"bash\",\"rows\":24,\"cols\":80}");
        assertThat(json(ExecPayloads.encode(ExecTtyRequest.of("sh", 0, 0))))
                .isEqualTo("{\"command\":\"sh\",\"rows\":0,\"cols\":0}");
    }

    @Test
    void encodesExecTtyRequestWithEveryFieldInGoFieldOrder() {
        ExecTtyRequest request = new ExecTtyRequest(
                "vim", List.of("x.txt"), "/home/u", Map.of("TERM", "xterm-256color"), 65535, 132, "u");

        assertThat(json(ExecPayloads.encode(request))).isEqualTo("{\"command\":\"vim\",\"args\":[\"x.txt\"],"
                + "\"working_dir\":\"/home/u\",\"env\":{\"TERM\":\"xterm-256color\"},"
                + "\"rows\":65535,\"cols\":132,\"user\":\"u\"}");
    }

    @Test
    void encodesExecResponseWithOutputAsBase64() {
        ExecResponse response = new ExecResponse(2, Bytes.utf8("out\n"), Bytes.utf8("err"), null);

        assertThat(json(ExecPayloads.encode(response)))
                .isEqualTo("{\"exit_code\":2,\"stdout\":\"b3V0Cg==\",\"stderr\":\"ZXJy\"}");
    }

    @Test
    void encodesExecResponseWithoutOutputAsExitCodeOnly() {
        assertThat(json(ExecPayloads.encode(ExecResponse.exited(0)))).isEqualTo("{\"exit_code\":0}");
        assertThat(json(ExecPayloads.encode(ExecResponse.exited(-1)))).isEqualTo("{\"exit_code\":-1}");
    }

    @Test
    void encodesExecResponseError() {
        assertThat(json(ExecPayloads.encode(ExecResponse.failed("chdir /nope: no such file or directory"))))
                .isEqualTo("{\"exit_code\":1,\"error\":\"chdir /nope: no such file or directory\"}");
    }

    @Test
    void encodesExecRequestStdinAsPaddedBase64() {
        ExecRequest oneByte = new ExecRequest("cat", null, null, null, Bytes.of(new byte[] {(byte) 0xfb}), null);
        ExecRequest twoBytes = new ExecRequest("cat", null, null, null, Bytes.of(new byte[] {(byte) 0xfb, (byte) 0xff}), null);

        // 0xfb -> "+w==", 0xfbff -> "+/8=": the standard alphabet, padded.
        assertThat(json(ExecPayloads.encode(oneByte))).isEqualTo("{\"command\":\"cat\",\"stdin\":\"+w==\"}");
        assertThat(json(ExecPayloads.encode(twoBytes))).isEqualTo("{\"command\":\"cat\",\"stdin\":\"+/8=\"}");
    }
}
