package io.vsockexec.nativeio.internal;

import static io.vsockexec.nativeio.internal.Native.word;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vsockexec.nativeio.Errno;
import io.vsockexec.nativeio.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The user and group database: {@code getpwnam_r}, {@code getpwuid_r}, {@code getgrnam_r} and
 * {@code getgrouplist}. These may go through NSS (files, but also LDAP or systemd), so they are
 * plain (non-critical) calls on native memory. The reentrant variants need a caller-supplied
 * string buffer; it starts small and doubles on ERANGE up to {@link #MAX_BUFFER}.
 */
public final class UserDb {
    private static final long MAX_BUFFER = 1 << 20;
    /** NGROUPS_MAX on Linux. */
    private static final int MAX_GROUPS = 65536;
    // struct passwd and struct group on LP64 Linux (glibc and musl).
    private static final long PASSWD_BYTES = 48;
    private static final long PW_NAME = 0;
    private static final long PW_UID = 16;
    private static final long PW_GID = 20;
    private static final long PW_DIR = 32;
    private static final long PW_SHELL = 40;
    private static final long GROUP_BYTES = 32;
    private static final long GR_GID = 16;

    // They return an error number, or (getgrouplist) -1 for an array too small.
    private static final BlockingFunction GETPWNAM_R = Native.blockingWithoutErrno("getpwnam_r",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final BlockingFunction GETPWUID_R = Native.blockingWithoutErrno("getpwuid_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final BlockingFunction GETGRNAM_R = Native.blockingWithoutErrno("getgrnam_r",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final BlockingFunction GETGROUPLIST = Native.blockingWithoutErrno("getgrouplist",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));

    /** A passwd entry. */
    public record PasswdEntry(String name, int uid, int gid, String home, String shell) {}

    private UserDb() {}

    /** The passwd entry named {@code name}, or null when there is none. */
    public static PasswdEntry byName(String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = CStrings.of(arena, name);
            return lookup("getpwnam_r", name, PASSWD_BYTES, UserDb::decode, (state, pwd, buf, result) ->
                    (int) GETPWNAM_R.call(state, cName, pwd, buf, word(buf.byteSize()), result));
        }
    }

    /** The passwd entry for {@code uid}, or null when there is none. */
    public static PasswdEntry byUid(int uid) throws ErrnoException {
        return lookup("getpwuid_r", "uid " + uid, PASSWD_BYTES, UserDb::decode, (state, pwd, buf, result) ->
                (int) GETPWUID_R.call(state, word(uid), pwd, buf, word(buf.byteSize()), result));
    }

    /** The id of the group named {@code name}, or -1 when there is none. */
    public static long groupId(String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = CStrings.of(arena, name);
            Long gid = lookup("getgrnam_r", name, GROUP_BYTES,
                    grp -> Integer.toUnsignedLong(grp.get(JAVA_INT, GR_GID)),
                    (state, grp, buf, result) ->
                            (int) GETGRNAM_R.call(state, cName, grp, buf, word(buf.byteSize()), result));
            return gid == null ? -1 : gid;
        }
    }

    /** Every group {@code user} belongs to according to the group database, {@code gid} included. */
    public static List<Integer> groupList(String user, int gid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cUser = CStrings.of(arena, user);
            MemorySegment count = arena.allocate(JAVA_INT);
            int capacity = 32;
            while (capacity <= MAX_GROUPS) {
                MemorySegment groups = arena.allocate(JAVA_INT, capacity);
                count.set(JAVA_INT, 0, capacity);
                int rc = (int) GETGROUPLIST.call(Native.callState(arena), cUser, word(gid), groups, count);
                int n = count.get(JAVA_INT, 0);
                if (rc >= 0) {
                    List<Integer> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(groups.getAtIndex(JAVA_INT, i));
                    }
                    return list;
                }
                // -1: the array was too small and n is the size needed (glibc); grow at least twofold.
                capacity = Math.max(n, capacity * 2);
            }
            throw ErrnoException.of("getgrouplist", user, Errno.ERANGE);
        }
    }

    /** A reentrant lookup ({@code getpwnam_r} and the like): fills {@code struct} using {@code buf}; 0 or an errno. */
    @FunctionalInterface
    private interface ReentrantCall {
        int apply(MemorySegment callState, MemorySegment struct, MemorySegment buf, MemorySegment result);
    }

    /**
     * Runs {@code call} with a string buffer that doubles on ERANGE, and decodes the entry it
     * found while the buffer its strings point into is still allocated; null when there is none.
     */
    private static <T> T lookup(String operation, String target, long structBytes,
            Function<MemorySegment, T> decoder, ReentrantCall call) throws ErrnoException {
        for (long size = 1024; ; size *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment struct = arena.allocate(structBytes, 8);
                MemorySegment buf = arena.allocate(size);
                MemorySegment result = arena.allocate(ADDRESS);
                int error = call.apply(Native.callState(arena), struct, buf, result);
                if (error == 0) {
                    return result.get(ADDRESS, 0).equals(MemorySegment.NULL) ? null : decoder.apply(struct);
                }
                if (error != Errno.ERANGE || size >= MAX_BUFFER) {
                    throw ErrnoException.of(operation, target, error);
                }
            }
        }
    }

    private static PasswdEntry decode(MemorySegment pwd) {
        return new PasswdEntry(string(pwd, PW_NAME), pwd.get(JAVA_INT, PW_UID), pwd.get(JAVA_INT, PW_GID),
                string(pwd, PW_DIR), string(pwd, PW_SHELL));
    }

    private static String string(MemorySegment struct, long offset) {
        MemorySegment p = struct.get(ADDRESS, offset);
        return p.equals(MemorySegment.NULL) ? "" : CStrings.read(p.reinterpret(Long.MAX_VALUE));
    }
}
