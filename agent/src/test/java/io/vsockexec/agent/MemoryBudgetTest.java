package io.vsockexec.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vsockexec.base.Deadline;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long KIB = 1024;

    /** Waits until {@code thread} is parked (waiting for memory), for at most a generous while. */
    private static void awaitParked(Thread thread) throws InterruptedException {
        for (int i = 0; i < 30_000 && thread.getState() != Thread.State.WAITING
                && thread.getState() != Thread.State.TIMED_WAITING; i++) {
            Thread.sleep(1);
        }
        assertThat(thread.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
    }

    @Test
    void holdersThatEachNeedTheWholeClaimAllFinishWhereTheBudgetHoldsFewClaims() throws Exception {
        // 16 holders growing in 16 KiB steps to a claim of 1 MiB, in room for 2.5 claims: if each
        // were granted as it asked, all would hold part, wait for more and never finish.
        MemoryBudget budget = new MemoryBudget(2560 * KIB, 1024 * KIB);
        AtomicInteger finished = new AtomicInteger();
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            holders.add(Thread.ofVirtual().start(() -> {
                try (MemoryBudget.Account account = budget.account()) {
                    for (int step = 0; step < 64; step++) {
                        account.reserve(16 * KIB);
                        Thread.yield();
                    }
                    finished.incrementAndGet();
                } catch (InterruptedIOException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : holders) {
            assertThat(t.join(Duration.ofMinutes(2))).as("a holder finished").isTrue();
        }
        assertThat(finished.get()).isEqualTo(16);
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void theLargestHolderIsGrantedAtOnceWhenOthersMustWait() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 80);
        MemoryBudget.Account large = holding(budget, 30);
        MemoryBudget.Account small = holding(budget, 10);

        // free 60, largest 30: small's 20 more would leave 40 free and a largest of 30, short of the claim.
        assertThat(small.tryReserve(20)).isFalse();
        assertThat(large.tryReserve(30)).isTrue();
        assertThat(budget.inUse()).isEqualTo(70);
    }

    @Test
    void aWaitingReservationIsGrantedWhenMemoryComesBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 60);
        MemoryBudget.Account first = holding(budget, 50);
        MemoryBudget.Account second = holding(budget, 30);
        List<String> granted = new ArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> reserveAndNote(second, 25, "second", granted)); // 20 are free
        awaitParked(waiter);
        assertThat(granted).isEmpty();

        first.close();

        assertThat(waiter.join(Duration.ofMinutes(1))).isTrue();
        assertThat(granted).containsExactly("second");
        assertThat(second.held()).isEqualTo(55);
    }

    @Test
    void waitersAreGrantedInTheOrderTheyAskedAndAWaitForLackOfMemoryHoldsBackLaterOnes() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 40);
        MemoryBudget.Account hog = holding(budget, 40);
        holding(budget, 30); // free 30
        List<String> order = new ArrayList<>();
        MemoryBudget.Account big = budget.account();
        Thread bigWaiter = Thread.ofVirtual().start(() -> reserveAndNote(big, 35, "big", order));
        awaitParked(bigWaiter);
        MemoryBudget.Account little = budget.account();
        Thread littleWaiter = Thread.ofVirtual().start(() -> reserveAndNote(little, 5, "little", order));
        awaitParked(littleWaiter); // 5 would fit, but the big one asked first

        hog.release(10); // enough for the big one, and then too little for the little one
        assertThat(bigWaiter.join(Duration.ofMinutes(1))).isTrue();
        awaitParked(littleWaiter);
        big.close();
        assertThat(littleWaiter.join(Duration.ofMinutes(1))).isTrue();

        assertThat(order).containsExactly("big", "little");
    }

    /** A new account of {@code budget} that holds {@code bytes}. */
    private static MemoryBudget.Account holding(MemoryBudget budget, long bytes) throws InterruptedIOException {
        MemoryBudget.Account account = budget.account();
        account.reserve(bytes);
        return account;
    }

    private static void reserveAndNote(MemoryBudget.Account account, long bytes, String name, List<String> order) {
        try {
            account.reserve(bytes);
            synchronized (order) {
                order.add(name);
            }
        } catch (InterruptedIOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWaitEndsAtItsDeadline() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 100);
        holding(budget, 100);

        assertThatThrownBy(() -> budget.account().reserve(1, Deadline.after(Duration.ofMillis(50))))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(budget.inUse()).isEqualTo(100);
    }

    @Test
    void anAbortEndsAWaitAndLaterOnes() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 100);
        holding(budget, 100);
        MemoryBudget.Account account = budget.account();
        List<Throwable> failures = new ArrayList<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                account.reserve(10);
            } catch (InterruptedIOException e) {
                failures.add(e);
            }
        });
        awaitParked(waiter);

        account.abort();

        assertThat(waiter.join(Duration.ofMinutes(1))).isTrue();
        assertThat(failures).singleElement().isInstanceOf(InterruptedIOException.class);
        assertThatThrownBy(() -> account.reserve(1)).isInstanceOf(InterruptedIOException.class);
        assertThat(account.tryReserve(1)).isFalse();
    }

    @Test
    void noAccountHoldsMoreThanTheClaim() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 10);
        MemoryBudget.Account account = holding(budget, 10);

        assertThatThrownBy(() -> account.reserve(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(account.tryReserve(1)).isFalse();
    }

    @Test
    void thePeakIsTheMostInUseSinceItWasLastTaken() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 100);
        MemoryBudget.Account account = holding(budget, 70);
        account.release(50);

        assertThat(budget.takePeak()).isEqualTo(70);
        assertThat(budget.takePeak()).isEqualTo(20);
    }

    @Test
    void anAccountsAllowanceIsGrantedAtOnceWhileLargeReservationsWait() throws Exception {
        MemoryBudget budget = new MemoryBudget(100, 80, 8);
        MemoryBudget.Account large = holding(budget, 80);
        MemoryBudget.Account waiting = budget.account();
        Thread waiter = Thread.ofVirtual().start(() -> reserveAndNote(waiting, 30, "waiting", new ArrayList<>()));
        awaitParked(waiter);

        MemoryBudget.Account probe = budget.account();
        probe.reserve(8, Deadline.after(Duration.ofMillis(50)));

        assertThat(probe.held()).isEqualTo(8);
        assertThat(budget.inUse()).isEqualTo(80);
        assertThatThrownBy(() -> probe.reserve(1, Deadline.after(Duration.ofMillis(50))))
                .isInstanceOf(SocketTimeoutException.class);
        probe.close();
        large.close();
        waiter.join();
        assertThat(waiting.held()).isEqualTo(30);
    }
}
