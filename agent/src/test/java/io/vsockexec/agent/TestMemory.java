package io.vsockexec.agent;

/** Memory for the agent's parts in tests: a budget that never runs short. */
final class TestMemory {
    /** Room for anything a test does; each account may hold 256 MiB. */
    static final MemoryBudget PLENTY = new MemoryBudget(1L << 40, 256L << 20);

    private TestMemory() {}

    static MemoryBudget.Account account() {
        return PLENTY.account();
    }
}
