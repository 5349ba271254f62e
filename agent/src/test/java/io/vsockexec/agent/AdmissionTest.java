package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vsockexec.base.Log;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    @Test
    void beyondTheSessionsAsManyRefusalsAreAdmittedAndThenNone() {
        Admission admission = new Admission(2, 4, Log.discard());

        assertThat(admission.admit()).isEqualTo(Admission.Ticket.SESSION);
        assertThat(admission.admit()).isEqualTo(Admission.Ticket.SESSION);
        assertThat(admission.admit()).isEqualTo(Admission.Ticket.REFUSAL);
        assertThat(admission.admit()).isEqualTo(Admission.Ticket.REFUSAL);
        assertThat(admission.admit()).isNull();
        assertThat(admission.activeSessions()).isEqualTo(2);
    }

    @Test
    void aReleasedSessionIsAdmittedAgain() {
        Admission admission = new Admission(1, 4, Log.discard());
        Admission.Ticket first = admission.admit();

        admission.release(first);

        assertThat(admission.admit()).isEqualTo(Admission.Ticket.SESSION);
    }

    @Test
    void onlyARefusalHasAReasonAndItIsAgentBusy() {
        Admission admission = new Admission(3, 4, Log.discard());

        assertThat(admission.refusal(Admission.Ticket.SESSION)).isNull();
        assertThat(admission.refusal(Admission.Ticket.REFUSAL)).isEqualTo("agent busy: 3 sessions running");
    }
}
