package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.hex;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON of the Go reference's port-forward and file types (13 to 17), byte for byte as Go's
 * {@code json.Marshal} writes the structs of {@code pkg/vsock/vsock.go}, and the frames the Go
 * agent was observed to send.
 */
class FilePayloadsTest {

    private static String json(byte[] payload) {
        return new String(payload, UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aSuccessfulWriteIsAnsweredWithAnEmptyObjectAsTheGoAgentDoes() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new FrameWriter(wire).write(Messages.encode(new Message.FileResult(FileResponse.ok())));
        byte[] frame = wire.toByteArray();

        assertThat(hex(frame)).isEqualTo("11000000027b7d");
    }

    @Test
    void fileErrorsCarryOnlyTheErrorField() {
        FileResponse missing = FileResponse.failed("open /nonexistent: no such file or directory");

        assertThat(json(FileResultPayloads.encode(missing))).isEqualTo("{\"error\":\"open /nonexistent: no such file or directory\"}");
    }

    @Test
    void aListingHasEveryFieldOfEveryEntryWithGoFileModeBits() {
        FileResponse listing = new FileResponse(null, List.of(
                new FileInfo("d", 4096, GoFileMode.DIR | 0750, true),
                new FileInfo("l", 3, GoFileMode.SYMLINK | 0777, false),
                new FileInfo("f", 0, 0644, false)), null);

        assertThat(json(FileResultPayloads.encode(listing))).isEqualTo("{\"files\":["
                + "{\"name\":\"d\",\"size\":4096,\"mode\":2147484136,\"is_dir\":true},"
                + "{\"name\":\"l\",\"size\":3,\"mode\":134218239,\"is_dir\":false},"
                + "{\"name\":\"f\",\"size\":0,\"mode\":420,\"is_dir\":false}]}");
        assertThat(Long.toOctalString(GoFileMode.DIR | 0750)).isEqualTo("20000000750");
    }

    @Test
    void aReadCarriesTheContentInBase64() {
        assertThat(json(FileResultPayloads.encode(new FileResponse(Bytes.utf8("hi\n"), null, null)))).isEqualTo("{\"content\":\"aGkK\"}");
    }

    @Test
    void writeFileRequestHasPathContentAndModeAlways() {
        assertThat(json(FileRequestPayloads.encode(new WriteFileRequest("/tmp/a&b", Bytes.utf8("hi\n"), 0755))))
                .isEqualTo("{\"path\":\"/tmp/a\\u0026b\",\"content\":\"aGkK\",\"mode\":493}");
        assertThat(json(FileRequestPayloads.encode(new WriteFileRequest("/e", null, 0))))
                .isEqualTo("{\"path\":\"/e\",\"content\":\"\",\"mode\":0}");
    }

    @Test
    void readAndListRequestsHaveThePathAlways() {
        assertThat(json(FileRequestPayloads.encode(new FileRequest("/etc")))).isEqualTo("{\"path\":\"/etc\"}");
        assertThat(json(FileRequestPayloads.encode(new FileRequest(null)))).isEqualTo("{\"path\":\"\"}");
    }

    @Test
    void portForwardLeavesOutAnEmptyHostAndAlwaysHasThePort() {
        assertThat(json(PortForwardPayloads.encode(new PortForwardRequest("", 8080)))).isEqualTo("{\"port\":8080}");
        assertThat(json(PortForwardPayloads.encode(new PortForwardRequest("10.0.0.2", 80))))
                .isEqualTo("{\"host\":\"10.0.0.2\",\"port\":80}");
        assertThat(new PortForwardRequest(null, 1).effectiveHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void decodesWhatGoWritesIncludingNullContentAndNullEntries() throws Exception {
        assertThat(FileRequestPayloads.decodeWriteFileRequest(bytes("{\"path\":\"/a\",\"content\":null,\"mode\":420}")))
                .isEqualTo(new WriteFileRequest("/a", null, 420));
        assertThat(FileResultPayloads.decodeFileResponse(bytes("{}"))).isEqualTo(FileResponse.ok());
        assertThat(FileResultPayloads.decodeFileResponse(bytes("{\"files\":[null,{\"NAME\":\"x\",\"is_dir\":null,\"extra\":[1]}]}")).files())
                .containsExactly(new FileInfo("", 0, 0, false), new FileInfo("x", 0, 0, false));
        assertThat(PortForwardPayloads.decodePortForwardRequest(bytes("{\"port\":22,\"host\":null}")))
                .isEqualTo(new PortForwardRequest("", 22));
        assertThat(FileRequestPayloads.decodeReadFileRequest(bytes("null"))).isEqualTo(new FileRequest(""));
    }

    @Test
    void rejectsValuesOutsideTheGoTypesNamingTheField() {
        assertThatThrownBy(() -> PortForwardPayloads.decodePortForwardRequest(bytes("{\"port\":65536}")))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessage("invalid PortForwardRequest payload: field \"port\" must be between 0 and 65535, got 65536");
        assertThatThrownBy(() -> FileRequestPayloads.decodeWriteFileRequest(bytes("{\"mode\":-1}")))
                .hasMessageContaining("field \"mode\" must be between 0 and 4294967295, got -1");
        assertThatThrownBy(() -> FileResultPayloads.decodeFileResponse(bytes("{\"files\":[{\"is_dir\":1}]}")))
                .hasMessageContaining("field \"files[0].is_dir\" must be a boolean, got the number 1");
        assertThatThrownBy(() -> FileResultPayloads.decodeFileResponse(bytes("{\"files\":{}}")))
                .hasMessageContaining("field \"files\" must be an array of objects, got an object");
    }

    @Test
    void recordsRejectModesAndPortsOutsideTheirGoTypes() {
        assertThatThrownBy(() -> new WriteFileRequest("/a", null, 1L << 32)).hasMessageContaining("mode");
        assertThatThrownBy(() -> new FileInfo("a", 0, -1, false)).hasMessageContaining("mode");
        assertThatThrownBy(() -> new PortForwardRequest("", 65536)).hasMessageContaining("port");
    }

    @Test
    void contentNeverAppearsInToString() {
        assertThat(new WriteFileRequest("/a", Bytes.utf8("secret"), 0600).toString()).doesNotContain("secret")
                .contains("6 bytes", "mode=0600");
        assertThat(new FileResponse(Bytes.utf8("secret"), null, null).toString()).doesNotContain("secret");
    }
}
