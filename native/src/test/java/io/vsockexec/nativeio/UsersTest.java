package io.vsockexec.nativeio;

import static io.vsockexec.nativeio.ProcessTesting.ENV;
import static io.vsockexec.nativeio.ProcessTesting.output;
import static io.vsockexec.nativeio.ProcessTesting.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsersTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    /** A uid with no passwd entry on this machine. */
    private static int unknownUid() throws IOException {
        int uid = 54321;
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(l -> l.contains(":" + uid + ":")));
        return uid;
    }

    @Test
    void userNameResolvesToItsPasswdEntryAndGroups() throws Exception {
        UserInfo root = Users.lookup("root");
        assertThat(root.uid()).isZero();
        assertThat(root.gid()).isZero();
        assertThat(root.groups()).contains(0);
        assertThat(root.name()).contains("root");
        assertThat(root.home()).contains("/root");
        assertThat(root.shell()).isPresent();
    }

    @Test
    void numericUidWithAPasswdEntryGetsItsNameAndPrimaryGroup() throws Exception {
        UserInfo nobody = Users.lookup(String.valueOf(NOBODY));
        assertThat(nobody.name()).contains("nobody");
        assertThat(nobody.gid()).isEqualTo(Users.lookup("nobody").gid());
    }

    @Test
    void uidWithoutPasswdEntryGetsGroupZeroAndNoName() throws Exception {
        int uid = unknownUid();
        assertThat(Users.lookup(String.valueOf(uid)))
                .isEqualTo(new UserInfo(uid, 0, List.of(0), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void explicitGroupIsThePrimaryAndOnlyGroup() throws Exception {
        UserInfo user = Users.lookup("nobody:12345");
        assertThat(user.uid()).isEqualTo(NOBODY);
        assertThat(user.gid()).isEqualTo(12345);
        assertThat(user.groups()).containsExactly(12345);
        assertThat(user.home()).isPresent();
        assertThat(Users.lookup("nobody:root").gid()).isZero();
        assertThat(Users.lookup(unknownUid() + ":7").groups()).containsExactly(7);
    }

    @Test
    void unknownUserIsReportedByName() {
        assertThatThrownBy(() -> Users.lookup("no-such-user-vsx"))
                .isInstanceOfSatisfying(UnknownUserException.class,
                        e -> assertThat(e.name()).isEqualTo("no-such-user-vsx"))
                .hasMessageContaining("unknown user \"no-such-user-vsx\"");
    }

    @Test
    void unknownGroupIsReportedByName() {
        assertThatThrownBy(() -> Users.lookup("root:no-such-group-vsx"))
                .isInstanceOf(UnknownUserException.class)
                .hasMessageContaining("unknown group \"no-such-group-vsx\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1:2:3", "-5", ":5", "5:", "a b", "root:-1"})
    void malformedSpecIsRejectedWithTheSpec(String spec) {
        assertThatThrownBy(() -> Users.lookup(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + spec + "\"");
    }

    @Test
    void idAboveIntRangeIsRejected() {
        assertThatThrownBy(() -> Users.lookup("4294967296"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4294967296");
    }

    @Test
    void effectiveUidIsWhatTheKernelReports() throws Exception {
        String uidLine = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertThat(Users.effectiveUid()).isEqualTo(Integer.parseInt(uidLine.split("\\s+")[2]));
    }

    @Test
    void setprivPrefixSetsIdsAndGroupsOrClearsThem() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv here");
        UserInfo user = new UserInfo(1000, 100, List.of(100, 27), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(Users.setprivPrefix(user)).containsExactly(
                "/usr/bin/setpriv", "--reuid=1000", "--regid=100", "--groups=100,27", "--");
        UserInfo noGroups = new UserInfo(1000, 100, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(Users.setprivPrefix(noGroups)).contains("--clear-groups");
    }

    @Test
    void missingSetprivIsAClearError() {
        UserInfo user = new UserInfo(1, 1, List.of(1), Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> Users.setprivPrefix(user, List.of(dir)))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("setpriv not found in " + dir);
    }

    @Test
    void childRunsAsNobodyThroughSetpriv() throws Exception {
        assumeTrue(Users.effectiveUid() == 0, "switching user needs root");
        UserInfo nobody = Users.lookup("nobody");
        List<String> argv = new ArrayList<>(Users.setprivPrefix(nobody));
        argv.addAll(List.of("/bin/sh", "-c", "id -u; id -g; id -G"));
        String groups = nobody.groups().stream().map(String::valueOf).collect(Collectors.joining(" "));
        assertThat(output(SpawnSpec.builder(argv).environment(ENV)))
                .isEqualTo(NOBODY + "\n" + nobody.gid() + "\n" + groups + "\n");
    }

    @Test
    void setprivExits127ForAMissingProgram() throws Exception {
        assumeTrue(Users.effectiveUid() == 0, "switching user needs root");
        List<String> argv = new ArrayList<>(Users.setprivPrefix(Users.lookup("nobody")));
        argv.add("/nonexistent/program");
        try (ChildProcess child = ChildProcess.spawn(SpawnSpec.builder(argv).build())) {
            assertThat(child.waitFor(patience())).isEqualTo(ExitStatus.exited(127));
        }
    }
}
