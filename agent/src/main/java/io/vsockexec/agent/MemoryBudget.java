package io.vsockexec.agent;

import io.vsockexec.base.Deadline;
import io.vsockexec.base.Guarded;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory the agent may fill with what it buffers: frame payloads as they arrive, buffered
 * output, queued input, grown relay buffers. It counts bytes, not objects: each user holds an
 * {@link Account}, reserves before it allocates and releases when it lets go; a reservation that
 * does not fit waits, and so does whatever the user would have read next (a pipe, a connection),
 * as with a slow reader.
 *
 * <p><b>No deadlock.</b> Some holders need more memory before they can let go of any (a buffered
 * exec gives its output back only after its reply; a frame's payload only once it is whole), and
 * each needs at most {@link #claim()} bytes. If every one of them held part of what it needs and
 * waited for more, none would finish. So a reservation is granted only if, afterwards, the
 * largest holder could still grow to the claim: {@code free + largest >= claim} always holds.
 * The largest holder can then always finish; what it gives back lets the next largest finish,
 * and so on (the banker's algorithm, for holders whose claims are all the same). The largest
 * holder's own reservations are therefore always granted at once, and the others', while memory
 * is scarce, wait.
 *
 * <p><b>Order.</b> Waiting reservations are granted in the order they were asked for; one that
 * waits for lack of memory holds back those behind it (so that small ones do not starve it),
 * except the largest holder's, which must go on for anyone to.
 *
 * <p><b>An allowance outside the budget.</b> An account's first {@code allowance} bytes (a
 * request's payload, a short command's first output chunks) are granted at once and not counted:
 * a probe that needs a few KiB must not queue behind a burst of large buffered outputs and time
 * out. The owner's fixed cost covers them ({@link AgentMemory#PER_SESSION}).
 */
final class MemoryBudget {
    private final long capacity;
    private final long claim;
    private final long allowance;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private long free;
    /** Guarded by {@link #lock}: the accounts that hold something. */
    private final Set<Account> holders = new HashSet<>();
    /** Guarded by {@link #lock}: reservations waiting, in the order they were asked for. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Guarded by {@link #lock}: the most in use since {@link #takePeak()} last looked. */
    private long peak;

    /**
     * @param capacity the bytes that may be reserved at once
     * @param claim the most one account may hold; at most {@code capacity}
     * @throws IllegalArgumentException if the claim does not fit the capacity
     */
    MemoryBudget(long capacity, long claim) {
        this(capacity, claim, 0);
    }

    /**
     * A budget whose accounts may each hold their first {@code allowance} bytes outside it.
     *
     * @throws IllegalArgumentException if the claim does not fit the capacity
     */
    MemoryBudget(long capacity, long claim, long allowance) {
        if (claim <= 0 || claim > capacity || allowance < 0) {
            throw new IllegalArgumentException("a memory budget of " + capacity + " bytes cannot hold a claim of "
                    + claim);
        }
        this.capacity = capacity;
        this.claim = claim;
        this.free = capacity;
        this.allowance = allowance;
    }

    /** The bytes that may be reserved at once. */
    long capacity() {
        return capacity;
    }

    /** The most one account may hold. */
    long claim() {
        return claim;
    }

    /** A new account, holding nothing. */
    Account account() {
        return new Account();
    }

    /** Bytes reserved now. */
    long inUse() {
        return Guarded.get(lock, () -> capacity - free);
    }

    /** The most that was in use since the last call (or the start), and starts a new period from what is in use now. */
    long takePeak() {
        lock.lock();
        try {
            long p = peak;
            peak = capacity - free;
            return p;
        } finally {
            lock.unlock();
        }
    }

    /** One reservation waiting to be granted. */
    private static final class Waiter {
        final Account account;
        final long bytes;
        final Condition granted;
        boolean done;

        Waiter(Account account, long bytes, Condition granted) {
            this.account = account;
            this.bytes = bytes;
            this.granted = granted;
        }
    }

    /**
     * What one user holds of the budget. Not for concurrent use by several threads, except that
     * {@link #abort()} may come from any thread.
     */
    final class Account implements AutoCloseable {
        /** Guarded by {@link MemoryBudget#lock}: what this account holds within the budget. */
        private long held;
        /** Guarded by {@link MemoryBudget#lock}: what it holds within its allowance, outside the budget. */
        private long allowed;
        /** Guarded by {@link MemoryBudget#lock}. */
        private boolean aborted;

        private Account() {}

        /** Bytes this account holds, its allowance included. */
        long held() {
            lock.lock();
            try {
                return held + allowed;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Reserves {@code bytes}, waiting as long as it takes.
         *
         * @throws InterruptedIOException if the account is {@linkplain #abort() aborted} meanwhile
         */
        void reserve(long bytes) throws InterruptedIOException {
            try {
                reserve(bytes, Deadline.none());
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new IllegalStateException("no deadline, yet a timeout", e);
            }
        }

        /**
         * Reserves {@code bytes}, waiting until {@code deadline} at most.
         *
         * @throws SocketTimeoutException if the deadline passes first (it is the connection's)
         * @throws InterruptedIOException if the account is {@linkplain #abort() aborted} meanwhile
         * @throws IllegalArgumentException if the account would hold more than the claim
         */
        void reserve(long bytes, Deadline deadline) throws IOException {
            if (bytes == 0) {
                return;
            }
            lock.lock();
            try {
                check(bytes);
                if (aborted) {
                    throw new InterruptedIOException("cancelled while waiting for memory");
                }
                if (withinAllowance(bytes)) {
                    return;
                }
                if (waiters.isEmpty() || isLargest()) {
                    if (grantable(this, bytes)) {
                        grant(this, bytes);
                        return;
                    }
                }
                await(new Waiter(this, bytes, lock.newCondition()), deadline);
            } finally {
                lock.unlock();
            }
        }

        /** Reserves {@code bytes} if that can be done without waiting; true if it was. */
        boolean tryReserve(long bytes) {
            lock.lock();
            try {
                if (aborted || held + bytes > claim) {
                    return false;
                }
                if (withinAllowance(bytes)) {
                    return true;
                }
                if (!(waiters.isEmpty() || isLargest()) || !grantable(this, bytes)) {
                    return false;
                }
                grant(this, bytes);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Gives back {@code bytes} of what this account holds. */
        void release(long bytes) {
            if (bytes == 0) {
                return;
            }
            lock.lock();
            try {
                if (bytes < 0 || bytes > held + allowed) {
                    throw new IllegalArgumentException("release of " + bytes + " bytes from an account holding "
                            + (held + allowed));
                }
                long budgeted = Math.min(bytes, held);
                allowed -= bytes - budgeted;
                held -= budgeted;
                free += budgeted;
                if (held == 0) {
                    holders.remove(this);
                }
                grantWaiting();
            } finally {
                lock.unlock();
            }
        }

        /** Ends this account's waits, now and later, with an {@link InterruptedIOException}; what it holds stays held. */
        void abort() {
            lock.lock();
            try {
                aborted = true;
                for (Waiter w : waiters) {
                    if (w.account == this) {
                        w.granted.signal();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** Gives back everything this account holds. */
        @Override
        public void close() {
            Guarded.run(lock, () -> release(held + allowed));
        }

        /** Takes {@code bytes} from the allowance if nothing is budgeted yet and they fit it. Holds the lock. */
        private boolean withinAllowance(long bytes) {
            if (held > 0 || allowed + bytes > allowance) {
                return false;
            }
            allowed += bytes;
            return true;
        }

        private void check(long bytes) {
            if (bytes < 0 || held + bytes > claim) {
                throw new IllegalArgumentException("an account holding " + held + " bytes cannot reserve " + bytes
                        + " more: the most one may hold is " + claim);
            }
        }

        /** True if no account holds more than this one. */
        private boolean isLargest() {
            return held > 0 && held == largest();
        }

        @Override
        public String toString() {
            return "Account[" + held() + " bytes]";
        }
    }

    /** Waits until {@code w} is granted, the deadline passes or its account is aborted. Holds the lock. */
    private void await(Waiter w, Deadline deadline) throws IOException {
        waiters.addLast(w);
        try {
            while (!w.done) {
                if (w.account.aborted) {
                    throw new InterruptedIOException("cancelled while waiting for memory");
                }
                if (deadline.isNone()) {
                    w.granted.awaitUninterruptibly();
                } else {
                    long nanos = deadline.remainingNanos();
                    if (nanos <= 0) {
                        throw new SocketTimeoutException("no memory for " + w.bytes + " bytes before the deadline");
                    }
                    try {
                        w.granted.awaitNanos(nanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for memory");
                    }
                }
            }
        } finally {
            if (!w.done) {
                waiters.remove(w);
                grantWaiting(); // those it held back may go now
            }
        }
    }

    /** Grants what may be granted, in order (see the class comment). Holds the lock. */
    private void grantWaiting() {
        boolean heldBack = false;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            boolean grantable = grantable(w.account, w.bytes);
            if (grantable && (!heldBack || w.account.isLargest())) {
                grant(w.account, w.bytes);
                w.done = true;
                it.remove();
                w.granted.signal();
            } else if (!grantable && free < w.bytes) {
                heldBack = true;
            }
        }
    }

    /** True if granting keeps room for the largest holder to reach the claim. Holds the lock. */
    private boolean grantable(Account account, long bytes) {
        if (free < bytes) {
            return false;
        }
        if (free - bytes >= claim) {
            return true; // room for a whole claim whatever anyone holds
        }
        return free - bytes + Math.max(largest(), account.held + bytes) >= claim;
    }

    private void grant(Account account, long bytes) {
        free -= bytes;
        account.held += bytes;
        holders.add(account);
        peak = Math.max(peak, capacity - free);
    }

    /** What the largest holder holds. Holds the lock. */
    private long largest() {
        long max = 0;
        for (Account a : holders) {
            max = Math.max(max, a.held);
        }
        return max;
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + inUse() + " of " + capacity + " bytes in use, claim " + claim + "]";
    }
}
