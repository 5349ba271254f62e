package io.vsockexec.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodecCostTest {
    @Test
    void aRoundTripDecodesThePayloadItEncoded() throws Exception {
        for (int size : CodecCost.PAYLOADS) {
            assertThat(new CodecCost.Loop(size).roundTrip()).isEqualTo(size);
        }
    }

    @Test
    void theRowReportsBothPayloadSizesAndHasNoTarget() throws Exception {
        Row row = CodecCost.measure(BenchSizes.tiny());

        assertThat(row.number()).isEqualTo(7);
        assertThat(row.verdict()).isEqualTo(Verdict.REPORTED);
        assertThat(row.figure()).contains("16 B: ").contains("64 KiB: ").contains("allocated");
    }
}
