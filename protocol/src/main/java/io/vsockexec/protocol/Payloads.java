package io.vsockexec.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The one mapping between payload records and payload bytes, for every payload that is not raw
 * bytes: the JSON of {@link ExecRequest}, {@link ExecTtyRequest}, {@link ExecResponse},
 * {@link PortForwardRequest}, {@link WriteFileRequest}, {@link FileRequest} and {@link FileResponse}
 * (the copy extension's: {@link CopyPayloads}), and the fixed binary forms of {@link WindowSize},
 * signal numbers and exit codes.
 *
 * <h2>Payloads that carry a file</h2>
 * A WriteFile request and a FileResult may carry 16 MiB of content, 22 MB in base64. Besides
 * their whole forms, they have streamed ones, so that neither side need hold such a payload:
 * {@link #writeFileRequest} and {@link #fileResultWithContent} give a {@link StreamedPayload}
 * whose length is known up front and whose content is encoded as it goes out;
 * {@link #decodeWriteFile} and {@link #decodeFileResult} decode the content into a stream as it
 * arrives ({@link JsonStreamReader}). Both forms produce and accept exactly the same bytes.
 *
 * <h2>JSON, byte for byte as Go's {@code encoding/json}</h2>
 * Encoding produces exactly what {@code json.Marshal} produces for the structs of the Go
 * reference's {@code pkg/vsock/vsock.go}: fields in declaration order, no whitespace, empty
 * {@code omitempty} fields left out, map keys sorted by their UTF-8 bytes, byte arrays as standard
 * base64 with padding, and Go's string escaping: {@code "} and {@code \} with a backslash;
 * {@code \b \f \n \r \t} as such (Go 1.22 and later); other control characters and {@code < > &}
 * as {@code \}{@code u00XX} in lowercase hex; U+2028 and U+2029 as {@code \}{@code u2028} and
 * {@code \}{@code u2029}; everything else, DEL and all non-ASCII included, as plain UTF-8. Records
 * have already replaced unpaired surrogates by U+FFFD, as Go replaces invalid UTF-8.
 *
 * <p>Decoding accepts what Go's {@code json.Unmarshal} accepts for those structs: fields absent or
 * {@code null} (a null string or number keeps its earlier value, a null list, map or byte array
 * becomes empty), unknown fields with any value, field names matched exactly or else ignoring
 * case, a repeated field (the last wins; a repeated map is merged), a top-level {@code null}
 * (every field empty). It rejects, with a {@link CorruptFrameException} naming the payload, the
 * field and what was wrong: anything that is not one JSON value under a strict reading of RFC 8259
 * (see {@link JsonReader}), a top level that is not an object, a value of the wrong JSON type, a
 * number that is not an integer or is out of range for its Go type, and invalid or unpadded
 * base64. Go also accepts a byte array written as a JSON array of numbers, invalid UTF-8, and
 * nesting deeper than 1,000 levels (up to 10,000); {@code json.Marshal} never produces any of
 * them, and all are rejected here.
 *
 * <p>{@link JsonWriter} and {@link JsonReader} do the work, written for these few small payloads:
 * straight over byte arrays, with no library and nothing kept between calls. The agent starts in
 * small VMs and each run of the CLI is a fresh process, so first calls and calls on cold caches
 * are the ones that count: a JSON library's first use costs far more than the few classes here
 * (docs/PERFORMANCE.md has the measurements). The code avoids lambdas, pattern switches and
 * string concatenation on the success path, each of which costs milliseconds of bootstrap at
 * first use.
 *
 * <p>This class is the mapping's one entry point; each family's mapping is a small companion
 * ({@code ExecPayloads}, {@code PortForwardPayloads}, {@code FileRequestPayloads},
 * {@code FileResultPayloads}, {@code BinaryPayloads}) over the shared {@link JsonWriter},
 * {@link JsonReader} and {@code JsonFields}.
 */
public final class Payloads {
    private Payloads() {
    }

    // ---------------------------------------------------------------- ExecRequest, ExecTtyRequest, ExecResponse

    /**
     * The JSON of {@code request}: {@code command}, then {@code args}, {@code working_dir},
     * {@code env}, {@code stdin}, {@code user} if not empty, as Go writes its struct, and last the
     * extension {@code argv} if not empty.
     */
    public static byte[] encode(ExecRequest request) {
        return ExecPayloads.encode(request);
    }

    /** Reads the JSON of an {@link ExecRequest}. */
    public static ExecRequest decodeExecRequest(byte[] payload) throws CorruptFrameException {
        return ExecPayloads.decodeExecRequest(payload);
    }

    /**
     * The JSON of {@code request}: {@code command}, {@code args}, {@code working_dir}, {@code env},
     * {@code rows}, {@code cols}, {@code user}, {@code argv}; {@code rows} and {@code cols} always,
     * the others if not empty.
     */
    public static byte[] encode(ExecTtyRequest request) {
        return ExecPayloads.encode(request);
    }

    /** Reads the JSON of an {@link ExecTtyRequest}; {@code rows} and {@code cols} must be integers 0 to 65535. */
    public static ExecTtyRequest decodeExecTtyRequest(byte[] payload) throws CorruptFrameException {
        return ExecPayloads.decodeExecTtyRequest(payload);
    }

    /** The JSON of {@code response}: {@code exit_code} always, then {@code stdout}, {@code stderr}, {@code error} if not empty. */
    public static byte[] encode(ExecResponse response) {
        return ExecPayloads.encode(response);
    }

    /**
     * The JSON of an {@link ExecResponse} whose output is held elsewhere than in arrays, written
     * as it goes out: the same bytes as {@link #encode(ExecResponse)} gives for the same values,
     * its length known before a byte of output is encoded. For an agent's buffered reply
     * ({@link FrameWriter#write(MessageType, ByteSource)}), which then holds its output once and
     * a small buffer more, rather than the output, its base64 and the frame at once.
     *
     * @param stdout written once, while the payload is written
     * @param stderr written once, after {@code stdout}
     * @param error the reply's error, or empty
     */
    public static ByteSource execResult(int exitCode, ByteSource stdout, ByteSource stderr, String error) {
        return new ExecResultPayload(exitCode, stdout, stderr, Values.optional(error));
    }

    /**
     * Reads the JSON of an {@link ExecResponse}, including the Go agent's form
     * {@code {"exit_code":0,"stdout":null,"stderr":null,"error":""}}. {@code exit_code} must be an
     * integer that fits a Java {@code int} (Go's is 64 bits, but exit codes never need more).
     */
    public static ExecResponse decodeExecResponse(byte[] payload) throws CorruptFrameException {
        return ExecPayloads.decodeExecResponse(payload);
    }

    // ---------------------------------------------------------------- PortForwardRequest

    /** The JSON of {@code request}: {@code host} if not empty, then {@code port} always. */
    public static byte[] encode(PortForwardRequest request) {
        return PortForwardPayloads.encode(request);
    }

    /** Reads the JSON of a {@link PortForwardRequest}; {@code port} must be an integer 0 to 65535. */
    public static PortForwardRequest decodePortForwardRequest(byte[] payload) throws CorruptFrameException {
        return PortForwardPayloads.decodePortForwardRequest(payload);
    }

    // ---------------------------------------------------------------- WriteFileRequest, ReadFileRequest, ListFilesRequest

    /**
     * The JSON of {@code request}: {@code path}, {@code content}, {@code mode}, each always (an
     * empty content is {@code ""}; Go writes a nil one as {@code null}, which decodes the same).
     * For a large file, {@link #writeFileRequest} streams the content instead.
     */
    public static byte[] encode(WriteFileRequest request) {
        return FileRequestPayloads.encode(request);
    }

    /** Reads the JSON of a {@link WriteFileRequest} held whole; {@link #decodeWriteFile} reads one as it arrives. */
    public static WriteFileRequest decodeWriteFileRequest(byte[] payload) throws CorruptFrameException {
        return FileRequestPayloads.decodeWriteFileRequest(payload);
    }

    /**
     * A WriteFile request whose content, {@code contentLength} bytes, is streamed into the frame
     * as base64 ({@link StreamedPayload#writeTo}); its JSON is that of {@link #encode(WriteFileRequest)}.
     *
     * @throws IllegalArgumentException if {@code mode} does not fit 32 bits or the length is negative
     */
    public static StreamedPayload writeFileRequest(String path, long contentLength, long mode) {
        return FileRequestPayloads.writeFileRequest(path, contentLength, mode);
    }

    /**
     * Reads a WriteFile request as it arrives, without holding its content: {@code path} and
     * {@code mode} as values, {@code content} decoded from base64 straight into the stream that
     * {@code content} opens for it (given the path read so far, empty if {@code content} comes
     * first). Fields may come in any order, as in {@link #decodeWriteFileRequest}; a repeated
     * {@code content} opens a new stream, which replaces the earlier one, and {@code null} opens
     * one and writes nothing to it.
     *
     * @param payload the frame's payload, to its end ({@link FrameReader#payload})
     * @return the request with an empty content
     * @throws CorruptFrameException as {@link #decodeWriteFileRequest}, and for a value other than
     *     {@code content} of more than {@value JsonStreamReader#VALUE_LIMIT} bytes
     * @throws IOException if {@code payload} or the content's stream fails
     */
    public static WriteFileRequest decodeWriteFile(InputStream payload, ContentStreams content) throws IOException {
        return FileRequestPayloads.decodeWriteFile(payload, content);
    }

    /** Where a streamed {@code content} goes: {@link #decodeWriteFile} opens one stream per {@code content} field. */
    @FunctionalInterface
    public interface ContentStreams {
        /**
         * A stream for the content that starts now, closed by the decoder when the content ends.
         *
         * @param pathSoFar the {@code path} read so far, empty if none came yet
         */
        OutputStream open(String pathSoFar) throws IOException;
    }

    /** The JSON of {@code request}: {@code {"path":...}}, the path always. */
    public static byte[] encode(FileRequest request) {
        return FileRequestPayloads.encode(request);
    }

    /** Reads the JSON of a ReadFile request. */
    public static FileRequest decodeReadFileRequest(byte[] payload) throws CorruptFrameException {
        return FileRequestPayloads.decodeFileRequest(payload, "ReadFileRequest");
    }

    /** Reads the JSON of a ListFiles request. */
    public static FileRequest decodeListFilesRequest(byte[] payload) throws CorruptFrameException {
        return FileRequestPayloads.decodeFileRequest(payload, "ListFilesRequest");
    }

    // ---------------------------------------------------------------- FileResponse

    /**
     * The JSON of {@code response}: {@code content}, {@code files}, {@code error}, each only if not
     * empty, so a successful write is {@code {}}; each entry of {@code files} has all four of its
     * fields. For a large file, {@link #fileResultWithContent} streams the content instead.
     */
    public static byte[] encode(FileResponse response) {
        return FileResultPayloads.encode(response);
    }

    /**
     * The length of {@code info}'s JSON as an element of {@code files}, comma included: what a
     * listing adds to its reply, so that the agent can stop before a reply outgrows its frame.
     */
    public static long encodedLength(FileInfo info) {
        return FileResultPayloads.encodedLength(info);
    }

    /**
     * A FileResult that carries {@code contentLength} bytes of a file, streamed into the frame as
     * base64 ({@link StreamedPayload#writeTo}): {@code {"content":"..."}}, or {@code {}} for an
     * empty file, as {@link #encode(FileResponse)} writes them.
     */
    public static StreamedPayload fileResultWithContent(long contentLength) {
        return FileResultPayloads.fileResultWithContent(contentLength);
    }

    /** Reads the JSON of a {@link FileResponse} held whole. */
    public static FileResponse decodeFileResponse(byte[] payload) throws CorruptFrameException {
        return FileResultPayloads.decodeFileResponse(payload);
    }

    /**
     * Reads a FileResult as it arrives, with its {@code content} decoded from base64 straight into
     * {@code content} rather than held: for a host that reads a file of up to 16 MiB into a stream.
     * The other fields are read as values, each of at most {@value JsonStreamReader#VALUE_LIMIT}
     * bytes (a listing is read whole with {@link #decodeFileResponse}).
     *
     * @return the response with an empty content
     */
    public static FileResponse decodeFileResult(InputStream payload, OutputStream content) throws IOException {
        return FileResultPayloads.decodeFileResult(payload, content);
    }

    // ---------------------------------------------------------------- binary payloads

    /** The Resize payload: 4 bytes, rows then columns, each unsigned 16-bit big-endian. */
    public static byte[] encode(WindowSize size) {
        return BinaryPayloads.encode(size);
    }

    /** Reads a Resize payload, which must be exactly 4 bytes. */
    public static WindowSize decodeWindowSize(byte[] payload) throws CorruptFrameException {
        return BinaryPayloads.decodeWindowSize(payload);
    }

    /**
     * The Signal payload: 1 byte, the signal number.
     *
     * @throws IllegalArgumentException if {@code signal} is outside 1 to 64
     */
    public static byte[] encodeSignal(int signal) {
        return BinaryPayloads.encodeSignal(signal);
    }

    /** Reads a Signal payload, which must be exactly 1 byte holding 1 to 64. */
    public static int decodeSignal(byte[] payload) throws CorruptFrameException {
        return BinaryPayloads.decodeSignal(payload);
    }

    /** The Exit payload: 4 bytes, the exit code as a signed 32-bit big-endian number (-1 is {@code ff ff ff ff}). */
    public static byte[] encodeExitCode(int exitCode) {
        return BinaryPayloads.encodeExitCode(exitCode);
    }

    /** Reads an Exit payload, which must be exactly 4 bytes; {@code ff ff ff ff} is -1, as the Go agent means it. */
    public static int decodeExitCode(byte[] payload) throws CorruptFrameException {
        return BinaryPayloads.decodeExitCode(payload);
    }

    /** {@code signal} if it is a valid signal number, 1 to 64. */
    static int checkSignal(int signal) {
        return BinaryPayloads.checkSignal(signal);
    }
}
