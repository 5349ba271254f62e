package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import java.io.IOException;

/**
 * What the two copy requests ({@code CopyIn}, {@code CopyOut}) have in common: each ends with one
 * {@code CopyResult}, and a refusal is one with the reason ({@link CopyReply#fail}); each holds one
 * buffer for as long as it runs, reserved from the agent's budget ({@link #reserveBuffer}).
 */
abstract class CopyHandler extends OneAnswerHandler {
    CopyHandler(Kind kind) {
        super(kind, CopyReply::fail);
    }

    /** The size of a copy's buffer that wants {@code wanted} bytes: at most what one holder of {@code budget} may claim. */
    static int bufferSize(MemoryBudget budget, int wanted) {
        return (int) Math.min(wanted, budget.claim());
    }

    /**
     * Reserves a copy's buffer of {@code bytes} (from {@link #bufferSize}) from {@code budget},
     * waiting for it until {@code deadline} (the connection's) at most: a copy's buffer is larger
     * than what a session's fixed cost covers, so many copies at once wait for memory rather than
     * exceed it. Closing the account gives it back.
     */
    static MemoryBudget.Account reserveBuffer(MemoryBudget budget, int bytes, Deadline deadline) throws IOException {
        MemoryBudget.Account account = budget.account();
        try {
            account.reserve(bytes, deadline);
        } catch (IOException | RuntimeException e) {
            account.close();
            throw e;
        }
        return account;
    }
}
