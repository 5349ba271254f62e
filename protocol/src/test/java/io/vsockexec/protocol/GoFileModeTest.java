package io.vsockexec.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Go's {@code os.FileMode} bits against POSIX {@code st_mode}, as Go's os package converts them on Linux. */
class GoFileModeTest {

    @Test
    void typesBecomeGoFlagsAndPermissionsStay() {
        assertThat(GoFileMode.fromPosix(0100644)).isEqualTo(0644);
        assertThat(GoFileMode.fromPosix(040750)).isEqualTo(GoFileMode.DIR | 0750);
        assertThat(GoFileMode.fromPosix(0120777)).isEqualTo(GoFileMode.SYMLINK | 0777);
        assertThat(GoFileMode.fromPosix(0020620)).isEqualTo(GoFileMode.DEVICE | GoFileMode.CHAR_DEVICE | 0620);
        assertThat(GoFileMode.fromPosix(0060660)).isEqualTo(GoFileMode.DEVICE | 0660);
        assertThat(GoFileMode.fromPosix(0010600)).isEqualTo(GoFileMode.NAMED_PIPE | 0600);
        assertThat(GoFileMode.fromPosix(0140755)).isEqualTo(GoFileMode.SOCKET | 0755);
    }

    @Test
    void setuidSetgidAndStickyBecomeGoFlags() {
        assertThat(GoFileMode.fromPosix(0104755)).isEqualTo(GoFileMode.SETUID | 0755);
        assertThat(GoFileMode.fromPosix(0102755)).isEqualTo(GoFileMode.SETGID | 0755);
        assertThat(GoFileMode.fromPosix(041777)).isEqualTo(GoFileMode.DIR | GoFileMode.STICKY | 0777);
        assertThat(GoFileMode.toPosixPermissions(GoFileMode.SETUID | GoFileMode.SETGID | GoFileMode.STICKY | 0755))
                .isEqualTo(07755);
    }

    @Test
    void aPosixSetuidBitSentAsIsIsNotAGoFlagAndIsDropped() {
        // 04755 read as Go bits is 0755 and bit 11, which Go's syscallMode ignores.
        assertThat(GoFileMode.toPosixPermissions(04755)).isEqualTo(0755);
    }

    @Test
    void everyPosixTypeSurvivesTheRoundTrip() {
        for (int type : new int[] {0100000, 040000, 0120000, 020000, 060000, 010000, 0140000}) {
            for (int permissions : new int[] {0, 0644, 07777}) {
                int mode = type | permissions;
                assertThat(GoFileMode.toPosix(GoFileMode.fromPosix(mode))).as(Integer.toOctalString(mode)).isEqualTo(mode);
            }
        }
    }

    @Test
    void aModeWithOnlyFlagsLinuxNeverSetsHasNoPosixType() {
        assertThat(GoFileMode.toPosix(GoFileMode.IRREGULAR | 0644)).isEqualTo(0644);
    }
}
