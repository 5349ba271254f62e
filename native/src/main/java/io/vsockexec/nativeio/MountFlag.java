package io.vsockexec.nativeio;

import java.util.Optional;

/**
 * A per-mount flag of mount(2) ({@code MS_*}), by the name {@code /proc/self/mountinfo} shows it
 * under in a mount's options: a remount that leaves one out clears it.
 */
public enum MountFlag {
    /** {@code ro}: read-only. */
    RDONLY("ro", 1L),
    /** {@code nosuid}: set-user-ID and set-group-ID bits ignored. */
    NOSUID("nosuid", 2L),
    /** {@code nodev}: device files not opened. */
    NODEV("nodev", 4L),
    /** {@code noexec}: programs not run. */
    NOEXEC("noexec", 8L),
    /** {@code nosymfollow}: symbolic links not followed (Linux 5.10 and later). */
    NOSYMFOLLOW("nosymfollow", 256L),
    /** {@code noatime}: access times not updated. */
    NOATIME("noatime", 1024L),
    /** {@code nodiratime}: directories' access times not updated. */
    NODIRATIME("nodiratime", 2048L),
    /** {@code relatime}: access times updated relative to the modification time. */
    RELATIME("relatime", 1L << 21);

    /** {@code MS_REMOUNT}. */
    static final long REMOUNT = 32L;

    private final String option;
    private final long bit;

    MountFlag(String option, long bit) {
        this.option = option;
        this.bit = bit;
    }

    /** The name in a mount's options, e.g. {@code nosuid}. */
    public String option() {
        return option;
    }

    /** The flag a mount option names, if it names one ({@code rw} names none: it is no flag's presence). */
    public static Optional<MountFlag> ofOption(String option) {
        for (MountFlag f : values()) {
            if (f.option.equals(option)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    long bit() {
        return bit;
    }
}
