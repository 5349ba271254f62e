package io.vsockexec.conformance;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.Readiness;
import io.vsockexec.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs on the host (started by {@code scripts/vm-e2e}, next to a running {@code vsockexec vm}):
 * the conformance suite through the VM's hybrid socket and virtio-vsock device, the checks only a
 * VM shows ({@link VmGuestChecks}) and, on guests of its own, the crash and power-off checks
 * ({@link VmLifecycleChecks}). Prints every failure and {@code vm: N passed, M failed}; the result
 * file gets that line and then a bounded {@link FailureSummary}, which the script shows.
 *
 * <pre>VmE2eMain --exec EP --ready EP --dir DIR --cid N --scratch DIR --result FILE</pre>
 */
public final class VmE2eMain {
    private VmE2eMain() {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        Path result = null;
        while (a.size() >= 2) {
            String name = a.remove(0);
            String value = a.remove(0);
            switch (name) {
                case "--exec" -> System.setProperty(AgentUnderTest.EXEC_PROPERTY, value);
                case "--ready" -> System.setProperty(AgentUnderTest.READY_PROPERTY, value);
                case "--dir" -> System.setProperty(AgentUnderTest.VM_DIR_PROPERTY, value);
                case "--cid" -> System.setProperty(AgentUnderTest.VM_CID_PROPERTY, value);
                case "--scratch" -> System.setProperty(AgentUnderTest.VM_SCRATCH_PROPERTY, value);
                case "--result" -> result = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (result == null || !a.isEmpty()) {
            throw new IllegalArgumentException(
                    "usage: VmE2eMain --exec EP --ready EP --dir DIR --cid N --scratch DIR --result FILE");
        }
        List<String> failures = new ArrayList<>();
        UserModeLinuxMain.Counts counts = new UserModeLinuxMain.Counts(0, 0);
        try {
            Readiness.await(Endpoint.parse(System.getProperty(AgentUnderTest.READY_PROPERTY)),
                    Deadline.after(Duration.ofMinutes(1)));
            counts = UserModeLinuxMain.run(List.of(VmConformanceSuite.class, VmGuestChecks.class,
                    VmLifecycleChecks.class), failures);
        } catch (Exception e) {
            System.out.println("vm-e2e: the guest's agent was not ready: " + e);
            failures.add("the guest's agent was not ready");
            failures.addAll(FailureSummary.cause(e));
            counts = counts.plus(new UserModeLinuxMain.Counts(0, 1));
        }
        String summary = "vm: " + counts.passed() + " passed, " + counts.failed() + " failed";
        System.out.println(summary);
        List<String> lines = new ArrayList<>(List.of(summary));
        lines.addAll(failures);
        Files.write(result, lines);
    }
}
