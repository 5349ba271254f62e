package io.vsockexec.vm;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest's first process, a shell script: it mounts what a Linux userland expects over the
 * host's files (read-only through hostfs), loads the vsock modules, starts the agent on vsock
 * ports 5000 (exec) and 5002 (readiness), and powers the guest off when the launcher says so.
 *
 * <p>The launcher holds the guest console's input: a line on it, or its end (the launcher
 * died), is the signal to stop. So a guest never outlives its launcher.
 */
final class GuestInit {
    /** The agent's exec port inside the guest. */
    static final int EXEC_PORT = 5000;
    /** The agent's readiness port inside the guest. */
    static final int READY_PORT = 5002;
    /** The main class of the project's command line, which the guest runs as {@code vsockexec}. */
    static final String CLI_MAIN = "io.vsockexec.cli.Main";
    /** The guest's private writable space, a tmpfs over the host's /tmp. */
    static final String GUEST_TMP = "/tmp";
    private static final List<String> GUEST_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + GUEST_TMP);

    private GuestInit() {}

    /** The script for {@code config}, with the modules found in {@code platform}. */
    static String script(VmConfig config, UmlPlatform platform) {
        String cli = cliCommand(config);
        List<String> agent = new ArrayList<>(List.of("agent", "--listen", "vsock://any:" + EXEC_PORT,
                "--ready", "vsock://any:" + READY_PORT));
        agent.addAll(config.agentOptions());
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# PID 1 of a vsockexec vm guest; written by the launcher, removed when it stops.\n");
        s.append("PATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport PATH\n");
        s.append("trap 'poweroff -f' EXIT\n");
        s.append("mount -t proc proc /proc\n");
        s.append("mount -t sysfs sysfs /sys\n");
        // The guest's own devices (the host's /dev is read-only and the host's): then its terminals.
        s.append("mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"); // the kernel may have mounted it
        s.append("mkdir -p /dev/pts /dev/shm\n");
        s.append("mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts\n");
        s.append("[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx\n");
        s.append("mount -t tmpfs -o mode=1777 tmpfs /dev/shm\n");
        s.append("mount -t tmpfs -o mode=1777 tmpfs ").append(GUEST_TMP).append('\n');
        s.append("mount -t tmpfs -o mode=755 tmpfs /run 2>/dev/null\n");
        s.append("ip link set lo up 2>/dev/null\n");
        for (String m : UmlPlatform.VSOCK_MODULES) {
            s.append("insmod ").append(quote(platform.modules().resolve(m + ".ko").toString()))
                    .append(" || { echo 'vsockexec vm: insmod ").append(m).append(" failed'; exit 1; }\n");
        }
        // The loopback transport too (CID 1), so code inside the guest can reach its own agent;
        // the benchmark compares the device with it.
        s.append("insmod ").append(quote(platform.modules().resolve("vsock_loopback.ko").toString()))
                .append(" 2>/dev/null\n");
        // `vsockexec` inside the guest runs the same jars, so `vsockexec cid` prints the guest's CID.
        s.append("mkdir -p ").append(GUEST_TMP).append("/.vsockexec/bin\n");
        s.append("printf '#!/bin/sh\\nexec %s \"$@\"\\n' ").append(quote(cli)).append(" > ").append(GUEST_TMP)
                .append("/.vsockexec/bin/vsockexec\n");
        s.append("chmod 755 ").append(GUEST_TMP).append("/.vsockexec/bin/vsockexec\n");
        s.append("PATH=").append(GUEST_TMP).append("/.vsockexec/bin:$PATH\n");
        s.append("HOME=").append(GUEST_TMP).append(" TMPDIR=").append(GUEST_TMP).append("\nexport HOME TMPDIR\n");
        s.append(cli);
        for (String a : agent) {
            s.append(' ').append(quote(a));
        }
        s.append(" </dev/null &\n");
        s.append("agent=$!\n");
        s.append("echo 'vsockexec vm: agent started'\n");
        // The launcher's word, or its end: stop the agent (it ends its sessions) and power off.
        s.append("read -r _ || true\n");
        s.append("kill -TERM $agent 2>/dev/null\n");
        s.append("i=0; while kill -0 $agent 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done\n");
        s.append("echo 'vsockexec vm: powering off'\n");
        s.append("poweroff -f\n");
        return s.toString();
    }

    /** {@code java OPTIONS -cp CLASSPATH io.vsockexec.cli.Main}, quoted for the shell. */
    private static String cliCommand(VmConfig config) {
        StringBuilder b = new StringBuilder(quote(config.java().toString()));
        for (String o : GUEST_JVM_OPTIONS) {
            b.append(' ').append(quote(o));
        }
        b.append(" -cp ").append(quote(config.classPath())).append(' ').append(CLI_MAIN);
        return b.toString();
    }

    /** {@code value} in single quotes for the shell, its own single quotes escaped. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
