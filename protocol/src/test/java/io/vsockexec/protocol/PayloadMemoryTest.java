package io.vsockexec.protocol;

import static io.vsockexec.protocol.TestStreams.chunked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A payload's memory follows the bytes that arrived, never the length its header claims. */
class PayloadMemoryTest {
    private static final int MAX = FrameDescriptor.DEFAULT_MAX_PAYLOAD;

    /** Every reservation the reader announced, in order. */
    private final List<Integer> reserved = new ArrayList<>();

    private long total() {
        return reserved.stream().mapToLong(Integer::longValue).sum();
    }

    private static byte[] frame(MessageType type, byte[] payload, int sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];
        FrameDescriptor.putHeader(header, 0, type, payload.length);
        out.writeBytes(header);
        out.write(payload, 0, sent);
        return out.toByteArray();
    }

    @Test
    void aHeaderClaimingSixteenMebibytesThenNothingCostsTheFirstAllocationOnly() {
        byte[] claim = frame(MessageType.STDIN, new byte[MAX], 0);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(claim), MAX, reserved::add);

        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class).hasMessageContaining("got 0");
        assertThat(total()).isEqualTo(FrameReader.FIRST_ALLOCATION);
    }

    @Test
    void memoryGrowsAsBytesArriveAndStaysWithinFourTimesWhatArrived() {
        for (int sent : new int[] {1, 4096, 4097, 20_000, 70_000, 1_000_000}) {
            reserved.clear();
            byte[] partial = frame(MessageType.STDIN, new byte[MAX], sent);
            FrameReader reader = new FrameReader(chunked(partial, 1500), MAX, reserved::add);

            assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
            assertThat(total()).as("sent " + sent).isLessThanOrEqualTo(Math.max(FrameReader.FIRST_ALLOCATION, 4L * sent));
        }
    }

    @Test
    void aWholePayloadIsReservedExactlyOnceAndArrivesIntact() throws IOException {
        Random random = new Random(18);
        for (int length : new int[] {1, 4095, 4096, 4097, 65_536, 65_537, 1_000_003, MAX}) {
            reserved.clear();
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            FrameReader reader = new FrameReader(chunked(frame(MessageType.STDIN, payload, length), 7000), MAX,
                    reserved::add);

            Frame read = reader.read();

            assertThat(read.payload()).isEqualTo(payload);
            assertThat(total()).as("length " + length).isEqualTo(length);
        }
    }

    @Test
    void thePayloadArrayOfTheExactLengthIsAskedForOnceWhenItIsDue() throws IOException {
        List<Integer> asked = new ArrayList<>();
        byte[] payload = new byte[200_000];
        FrameReader reader = new FrameReader(new ByteArrayInputStream(frame(MessageType.STDIN, payload, payload.length)),
                MAX, reserved::add);

        reader.read(length -> {
            asked.add(length);
            return new byte[length];
        });

        assertThat(asked).containsExactly(200_000);
    }

    @Test
    void aPayloadThatHasArrivedWholeGoesIntoOneArrayWithOneReservation() throws IOException {
        // A ByteArrayInputStream says that everything has arrived, as a socket does once a bulk
        // writer's frame is in: no 4 KiB first array, no growth through copies.
        for (int length : new int[] {4097, 65_536, 262_144}) {
            reserved.clear();
            List<Integer> asked = new ArrayList<>();
            byte[] payload = new byte[length];
            new Random(length).nextBytes(payload);
            FrameReader reader = new FrameReader(new ByteArrayInputStream(frame(MessageType.STDIN, payload, length)),
                    MAX, reserved::add);

            Frame read = reader.read(n -> {
                asked.add(n);
                return new byte[n];
            });

            assertThat(read.payload()).isEqualTo(payload);
            assertThat(reserved).as("length " + length).containsExactly(length);
            assertThat(asked).containsExactly(length);
        }
    }

    @Test
    void aPayloadThatHasArrivedInPartGrowsByTheUsualStepsAndNoMore() {
        // Steps sized by the part that arrived would not land on the length: one more copy.
        for (int sent : new int[] {5000, 60_000}) {
            reserved.clear();
            byte[] partial = frame(MessageType.STDIN, new byte[65_536], sent);
            FrameReader reader = new FrameReader(new ByteArrayInputStream(partial), MAX, reserved::add);

            assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
            assertThat(reserved).as("sent " + sent).startsWith(FrameReader.FIRST_ALLOCATION);
            assertThat(reserved.size()).as("sent " + sent).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void aRefusalOfMemoryStopsTheReadAndReachesTheCaller() {
        byte[] payload = new byte[100_000];
        byte[] bytes = frame(MessageType.STDIN, payload, payload.length);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(bytes), MAX, more -> {
            if (more > FrameReader.FIRST_ALLOCATION) {
                throw new IOException("no memory for the agent");
            }
        });

        assertThatThrownBy(reader::read).isInstanceOf(IOException.class).hasMessage("no memory for the agent");
    }

    @Test
    void framesAfterAGrownOneAreReadFromTheirBoundary() throws IOException {
        byte[] big = new byte[300_000];
        new Random(3).nextBytes(big);
        FrameReader reader = new FrameReader(new SequenceInputStream(
                new ByteArrayInputStream(frame(MessageType.STDOUT, big, big.length)),
                new ByteArrayInputStream(frame(MessageType.STDERR, new byte[] {7}, 1))), MAX, reserved::add);

        assertThat(reader.read().payload()).isEqualTo(big);
        assertThat(reader.read()).isEqualTo(new Frame(MessageType.STDERR, new byte[] {7}));
        assertThat(reader.read()).isNull();
    }
}
