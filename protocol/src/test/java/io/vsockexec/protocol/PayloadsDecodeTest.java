package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PayloadsDecodeTest {

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void decodesGoAgentReplyWithNullOutputAndEmptyError() throws Exception {
        ExecResponse response = ExecPayloads.decodeExecResponse(
                utf8("{\"exit_code\":0,\"stdout\":null,\"stderr\":null,\"error\":\"\"}"));

        assertThat(response).isEqualTo(ExecResponse.exited(0));
    }

    @Test
    void decodesGoAgentReplyWithOutput() throws Exception {
        ExecResponse response = ExecPayloads.decodeExecResponse(
                utf8("{\"exit_code\":-1,\"stdout\":\"b3V0Cg==\",\"stderr\":null,\"error\":\"\"}"));

        assertThat(response).isEqualTo(new ExecResponse(-1, Bytes.utf8("out\n"), null, null));
    }

    @Test
    void decodesEveryExecRequestField() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"command\":\"echo hi\",\"args\":[\"-n\",\"a b\"],"
                + "\"working_dir\":\"/tmp\",\"env\":{\"B\":\"2\",\"A\":\"1\"},\"stdin\":\"aGkK\",\"user\":\"1000:1000\"}"));

        assertThat(request).isEqualTo(new ExecRequest("echo hi", List.of("-n", "a b"), "/tmp",
                Map.of("A", "1", "B", "2"), Bytes.utf8("hi\n"), "1000:1000"));
    }

    @Test
    void treatsAbsentFieldsAsEmpty() throws Exception {
        assertThat(ExecPayloads.decodeExecRequest(utf8("{}"))).isEqualTo(ExecRequest.of(""));
        assertThat(ExecPayloads.decodeExecTtyRequest(utf8(" { } "))).isEqualTo(ExecTtyRequest.of("", 0, 0));
        assertThat(ExecPayloads.decodeExecResponse(utf8("{}"))).isEqualTo(ExecResponse.exited(0));
    }

    @Test
    void treatsNullFieldsAsEmpty() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"command\":null,\"args\":null,\"working_dir\":null,"
                + "\"env\":null,\"stdin\":null,\"user\":null}"));
        ExecTtyRequest tty = ExecPayloads.decodeExecTtyRequest(utf8("{\"command\":null,\"rows\":null,\"cols\":null}"));
        ExecResponse response = ExecPayloads.decodeExecResponse(utf8("{\"exit_code\":null,\"error\":null}"));

        assertThat(request).isEqualTo(ExecRequest.of(""));
        assertThat(tty).isEqualTo(ExecTtyRequest.of("", 0, 0));
        assertThat(response).isEqualTo(ExecResponse.exited(0));
    }

    @Test
    void decodesTopLevelNullAsEmptyPayloadAsGoDoes() throws Exception {
        assertThat(ExecPayloads.decodeExecRequest(utf8("null"))).isEqualTo(ExecRequest.of(""));
    }

    @Test
    void decodesNullArrayElementsAndMapValuesAsEmptyStrings() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"command\":\"x\",\"args\":[null,\"a\"],\"env\":{\"K\":null}}"));

        assertThat(request.args()).containsExactly("", "a");
        assertThat(request.env()).containsExactly(Map.entry("K", ""));
    }

    @Test
    void ignoresUnknownFieldsWhateverTheirValue() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"x\":{\"a\":[1,{\"b\":null}],\"c\":\"}\"},"
                + "\"command\":\"ls\",\"y\":[[],[\"]\"]],\"z\":1.5e3,\"w\":true,\"v\":null}"));

        assertThat(request).isEqualTo(ExecRequest.of("ls"));
    }

    @Test
    void matchesFieldNamesIgnoringCaseAsGoDoes() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"COMMAND\":\"ls\",\"Working_Dir\":\"/\"}"));
        ExecResponse response = ExecPayloads.decodeExecResponse(utf8("{\"Exit_Code\":3}"));

        assertThat(request).isEqualTo(new ExecRequest("ls", null, "/", null, null, null));
        assertThat(response.exitCode()).isEqualTo(3);
    }

    @Test
    void keepsLastOfRepeatedFieldsAndMergesRepeatedEnvAsGoDoes() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(utf8("{\"command\":\"a\",\"command\":\"b\",\"command\":null,"
                + "\"args\":[\"1\"],\"args\":[\"2\"],\"env\":{\"A\":\"1\",\"B\":\"1\"},\"env\":{\"B\":\"2\"}}"));

        assertThat(request.command()).isEqualTo("b");
        assertThat(request.args()).containsExactly("2");
        assertThat(request.env()).isEqualTo(Map.of("A", "1", "B", "2"));
    }

    @Test
    void decodesEscapesIncludingSurrogatePairsAndReplacesLoneSurrogates() throws Exception {
        ExecRequest request = ExecPayloads.decodeExecRequest(
                utf8("{\"command\":\"\\u003c\\ud83d\\ude00\\n\\/\\ud800\"}"));

        assertThat(request.command()).isEqualTo("<\uD83D\uDE00\n/\uFFFD");
    }

    @Test
    void acceptsBase64WithLineBreaksAsGoDoes() throws Exception {
        ExecResponse response = ExecPayloads.decodeExecResponse(utf8("{\"stdout\":\"b3V0\\r\\nCg==\"}"));

        assertThat(response.stdout()).isEqualTo(Bytes.utf8("out\n"));
    }

    @Test
    void decodesAnEnvNameOf60000CharactersAsWritten() throws Exception {
        String longName = "K".repeat(60_000);
        ExecRequest request = new ExecRequest("x", null, null, Map.of(longName, "v"), null, null);

        assertThat(ExecPayloads.decodeExecRequest(ExecPayloads.encode(request))).isEqualTo(request);
    }

    @Test
    void decodesTerminalSizeLimits() throws Exception {
        ExecTtyRequest request = ExecPayloads.decodeExecTtyRequest(utf8("{\"command\":\"sh\",\"rows\":65535,\"cols\":0}"));

        assertThat(request.rows()).isEqualTo(65535);
        assertThat(request.cols()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        ``                     | invalid ExecRequest payload: the payload is empty, expected a JSON object
        not json               | invalid ExecRequest payload: not valid JSON:
        `{"command":"ls"`      | invalid ExecRequest payload: not valid JSON:
        `{"command":"ls"} x`   | invalid ExecRequest payload: not valid JSON:
        {}{}                   | invalid ExecRequest payload: unexpected data after the JSON value at byte 2
        [1]                    | invalid ExecRequest payload: expected a JSON object, got an array
        `"ls"`                 | invalid ExecRequest payload: expected a JSON object, got a string
        `{"command":5}`        | invalid ExecRequest payload: field "command" must be a string, got the number 5
        `{"command":["ls"]}`   | invalid ExecRequest payload: field "command" must be a string, got an array
        `{"user":true}`        | invalid ExecRequest payload: field "user" must be a string, got a boolean
        `{"args":"ls"}`        | invalid ExecRequest payload: field "args" must be an array of strings, got a string
        `{"args":["a",1]}`     | invalid ExecRequest payload: field "args[1]" must be a string, got the number 1
        `{"env":[]}`           | invalid ExecRequest payload: field "env" must be an object of strings, got an array
        `{"env":{"A":{}}}`     | invalid ExecRequest payload: field "env["A"]" must be a string, got an object
        `{"stdin":5}`          | invalid ExecRequest payload: field "stdin" must be a base64 string, got the number 5
        `{"stdin":"aGk"}`      | invalid ExecRequest payload: field "stdin" is not padded base64: its length 3 is not a multiple of 4
        `{"stdin":"a!k="}`     | invalid ExecRequest payload: field "stdin" is not valid base64:
        `{"stdin":"aGk=aGk="}` | invalid ExecRequest payload: field "stdin" is not valid base64:
        """)
    void rejectsMalformedExecRequestNamingTheProblem(String payload, String message) {
        assertThatThrownBy(() -> ExecPayloads.decodeExecRequest(utf8(payload)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageStartingWith(message.strip());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        `{"exit_code":"0"}`                   | field "exit_code" must be an integer, got a string
        `{"exit_code":1.5}`                   | field "exit_code" must be an integer, got the number 1.5
        `{"exit_code":1e2}`                   | field "exit_code" must be an integer, got the number 1e2
        `{"exit_code":3000000000}`            | field "exit_code" must be between -2147483648 and 2147483647, got 3000000000
        `{"exit_code":-99999999999999999999}` | field "exit_code" must be between -2147483648 and 2147483647, got -99999999999999999999
        `{"stdout":"!!!!"}`                   | field "stdout" is not valid base64:
        `{"stderr":{}}`                       | field "stderr" must be a base64 string, got an object
        `{"error":1}`                         | field "error" must be a string, got the number 1
        """)
    void rejectsMalformedExecResponseNamingTheProblem(String payload, String message) {
        assertThatThrownBy(() -> ExecPayloads.decodeExecResponse(utf8(payload)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageStartingWith("invalid ExecResponse payload: " + message.strip());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        `{"rows":70000}` | field "rows" must be between 0 and 65535, got 70000
        `{"cols":-1}`    | field "cols" must be between 0 and 65535, got -1
        `{"rows":"24"}`  | field "rows" must be an integer, got a string
        `{"cols":80.0}`  | field "cols" must be an integer, got the number 80.0
        """)
    void rejectsTerminalSizeOutsideUint16(String payload, String message) {
        assertThatThrownBy(() -> ExecPayloads.decodeExecTtyRequest(utf8(payload)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid ExecTtyRequest payload: " + message.strip());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] payload = {'{', '"', 'c', 'o', 'm', 'm', 'a', 'n', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};

        assertThatThrownBy(() -> ExecPayloads.decodeExecRequest(payload))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageStartingWith("invalid ExecRequest payload: not valid JSON: ");
    }

    /** A decoder under test: any of the three JSON decoders. */
    @FunctionalInterface
    private interface Decoder {
        Object decode(byte[] payload) throws CorruptFrameException;
    }

    @Test
    void decodersRejectMutatedPayloadsOnlyWithCorruptFrameException() {
        List<byte[]> seeds = List.of(
                ExecPayloads.encode(new ExecRequest("echo <hi> & \"bye\"\n", List.of("-n", "\u00e9\u4e2d\uD83D\uDE00", ""), "/tmp",
                        Map.of("A", "1", "\u2028", "\u0000"), Bytes.of(new byte[] {-1, 0, 1, 2, 3}), "1000:1000")),
                ExecPayloads.encode(new ExecTtyRequest("vim", List.of("x"), "/", Map.of("TERM", "xterm"), 24, 80, "u")),
                ExecPayloads.encode(new ExecResponse(-1, Bytes.utf8("out\n"), Bytes.utf8("err"), "failed")),
                utf8("{\"exit_code\":0,\"stdout\":null,\"stderr\":null,\"error\":\"\"}"),
                utf8("{\"x\":[{\"a\":[1,-2.5e-3,\"]}\\\"\\u00e9\\ud83d\\ude00\",true,false,null]}],\"rows\":65535,\"cols\":0}"),
                utf8(" null "));
        String[] payloadNames = {"ExecRequest", "ExecTtyRequest", "ExecResponse"};
        Decoder[] decoders = {ExecPayloads::decodeExecRequest, ExecPayloads::decodeExecTtyRequest, ExecPayloads::decodeExecResponse};
        byte[] interesting = utf8("\"\\{}[],:-+.0123456789eEtrufalsn \t\r\n/ubx");
        Random random = new Random(0x5EED_15_0B);
        int accepted = 0;
        int rejected = 0;

        for (int i = 0; i < 3000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] payload = mutate(seed, random, interesting);
            for (int d = 0; d < decoders.length; d++) {
                try {
                    decoders[d].decode(payload);
                    accepted++;
                } catch (CorruptFrameException e) {
                    rejected++;
                    assertThat(e.getMessage()).as("case %d", i).startsWith("invalid " + payloadNames[d] + " payload: ");
                } catch (Throwable t) {
                    throw new AssertionError("case " + i + ", " + payloadNames[d] + ": " + t + " for payload "
                            + HexFormat.of().formatHex(payload), t);
                }
            }
        }
        // Both outcomes are common (at least one decode in 20), or the mutations test little.
        assertThat(accepted).isGreaterThan((accepted + rejected) / 20);
        assertThat(rejected).isGreaterThan((accepted + rejected) / 20);
    }

    /** {@code seed} with one to four random edits: truncations, flips, replacements, insertions, deletions. */
    private static byte[] mutate(byte[] seed, Random random, byte[] interesting) {
        byte[] b = seed.clone();
        for (int edits = 1 + random.nextInt(4); edits > 0 && b.length > 0; edits--) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b = Arrays.copyOf(b, at);
                case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> b[at] = interesting[random.nextInt(interesting.length)];
                case 3 -> b[at] = (byte) random.nextInt(256);
                case 4 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
            }
        }
        return b;
    }
}
