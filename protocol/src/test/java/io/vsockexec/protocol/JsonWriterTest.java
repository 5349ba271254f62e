package io.vsockexec.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What the writer does on its own: the rest (Go's escaping of whole payloads, field order,
 * omitempty) is checked through the payload classes in {@code PayloadsEncodeTest} and
 * {@code CodecPropertiesTest}.
 */
class JsonWriterTest {

    private static String written(JsonWriter out) {
        return new String(out.toByteArray(), UTF_8);
    }

    @Test
    void placesCommasBetweenMembersAndElementsOnly() {
        JsonWriter out = new JsonWriter(0);
        out.startObject();
        out.name("a");
        out.startArray();
        out.string("x");
        out.number(1);
        out.startArray();
        out.endArray();
        out.startObject();
        out.endObject();
        out.endArray();
        out.name("b");
        out.startObject();
        out.name("c");
        out.base64(new byte[] {1});
        out.endObject();
        out.endObject();

        assertThat(written(out)).isEqualTo("{\"a\":[\"x\",1,[],{}],\"b\":{\"c\":\"AQ==\"}}");
    }

    @Test
    void writesIntegersInDecimalUpToTheLimitsOfALong() {
        JsonWriter out = new JsonWriter(0);
        out.startArray();
        for (long n : new long[] {0, -1, 9, 10, -10, 65535, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            out.number(n);
        }
        out.endArray();

        assertThat(written(out)).isEqualTo(
                "[0,-1,9,10,-10,65535,-2147483648,9223372036854775807,-9223372036854775808]");
    }

    @Test
    void writesUnpairedSurrogatesAsReplacementCharacter() {
        // Records never hold one; the writer is safe without them.
        JsonWriter out = new JsonWriter(0);
        out.string("a\uD800|\uDC00b|\uD800\uD800\uDC00|\uDBFF");

        assertThat(written(out)).isEqualTo("\"a\uFFFD|\uFFFDb|\uFFFD\uD800\uDC00|\uFFFD\"");
    }

    @Test
    void writesUtf8AtTheBoundariesOfEachLength() {
        JsonWriter out = new JsonWriter(0);
        out.string("\u007f\u0080\u07ff\u0800\uffff\uD800\uDC00\uDBFF\uDFFF");

        assertThat(TestStreams.hex(out.toByteArray())).isEqualTo(
                "22" + "7f" + "c280" + "dfbf" + "e0a080" + "efbfbf" + "f0908080" + "f48fbfbf" + "22");
    }

    @Test
    void growsFromAnyStartingSizeWithoutLosingBytes() {
        // Every kind of character (1, 2, 3, 4 and 6 bytes written; escaped or not), so the array
        // fills up in the middle of each kind at some length and starting size.
        int[] kinds = {'a', '<', '\n', 0xe9, 0x4e2d, 0x2028, 0x1f600, '"'};
        for (int length = 0; length <= 40; length++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(kinds[i % kinds.length]);
            }
            for (int estimate = 0; estimate <= 40; estimate += 3) {
                JsonWriter out = new JsonWriter(estimate);
                out.string(text.toString());

                assertThat(out.toByteArray()).as("length %d, estimate %d", length, estimate)
                        .isEqualTo(GoJson.quote(text.toString()));
            }
        }
    }
}
