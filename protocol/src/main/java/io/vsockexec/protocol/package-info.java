/**
 * The framed wire protocol: the frame codec ({@link FrameReader}, {@link FrameWriter}), the message
 * types ({@link MessageType}, {@link Message}, {@link Messages}), the payload records and their
 * bytes.
 *
 * <h2>Payloads</h2>
 * One mapping between payload records and payload bytes, for every payload that is not raw bytes,
 * one class per message family: {@link ExecPayloads} ({@link ExecRequest}, {@link ExecTtyRequest},
 * {@link ExecResponse}), {@link PortForwardPayloads} ({@link PortForwardRequest}),
 * {@link FileRequestPayloads} ({@link WriteFileRequest}, {@link FileRequest}),
 * {@link FileResultPayloads} ({@link FileResponse}), {@link CopyPayloads} (the copy extension's
 * requests and results), and {@link BinaryPayloads}, the fixed binary forms of {@link WindowSize},
 * signal numbers and exit codes. A record's bytes (a command's input and output, a file's
 * content) are a {@link Bytes}: immutable, compared by content, shown by their length only.
 *
 * <h2>Payloads that carry a file</h2>
 * A WriteFile request and a FileResult may carry 16 MiB of content, 22 MB in base64. Besides
 * their whole forms, they have streamed ones, so that neither side need hold such a payload:
 * {@link FileRequestPayloads#writeFileRequest} and
 * {@link FileResultPayloads#fileResultWithContent} give a {@link StreamedPayload} whose length is
 * known up front and whose content is encoded as it goes out;
 * {@link FileRequestPayloads#decodeWriteFile} and {@link FileResultPayloads#decodeFileResult}
 * decode the content into a stream as it arrives ({@link JsonStreamReader}). Both forms produce
 * and accept exactly the same bytes.
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
 * <p>Each family's class writes and reads through the shared {@link JsonWriter}, {@link JsonReader}
 * and {@code JsonFields}.
 */
package io.vsockexec.protocol;
