package io.vsockexec.conformance;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.vsockexec.base.Deadline;
import io.vsockexec.client.Readiness;
import io.vsockexec.transport.Endpoint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs inside user-mode Linux (started by {@code scripts/vsock-e2e}): runs the AF_VSOCK socket
 * suite, waits for the agent's readiness endpoint, runs the conformance suite (its SDK tests and
 * its nested wire tests, {@link WireConformanceSuite}) against the agent's AF_VSOCK endpoints,
 * and prints a line per test and every failure in full, for the console log. The result file the
 * host reads gets the line {@code vsock: N passed, M failed} and then a bounded
 * {@link FailureSummary}, which the script shows.
 *
 * Given the agent's pid and log, it then runs {@link VsockAgentChecks}.
 *
 * <pre>UserModeLinuxMain --exec vsock://1:5000 --ready vsock://1:5002 --result FILE [--agent-pid PID --agent-log FILE]</pre>
 */
public final class UserModeLinuxMain {
    private UserModeLinuxMain() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<String> failures = new ArrayList<>();
        // The socket suite needs no agent: it runs first and counts even if the agent fails.
        Counts counts = run(List.of(VsockSocketSuite.class), failures);
        try {
            // Generous: a JVM starting inside user-mode Linux on a busy machine is slow; a broken one is no quicker.
            Readiness.await(Endpoint.parse(options.ready()), Deadline.after(Duration.ofMinutes(5)));
            System.setProperty(AgentUnderTest.EXEC_PROPERTY, options.exec());
            System.setProperty(AgentUnderTest.READY_PROPERTY, options.ready());
            counts = counts.plus(run(List.of(VsockConformanceSuite.class), failures));
            if (options.agentPid() != null) {
                // Last: these checks take the agent's descriptors away for a while.
                System.setProperty(AgentUnderTest.AGENT_PID_PROPERTY, options.agentPid());
                System.setProperty(AgentUnderTest.AGENT_LOG_PROPERTY, options.agentLog());
                counts = counts.plus(run(List.of(VsockAgentChecks.class), failures));
            }
        } catch (Exception e) {
            System.out.println("vsock-e2e: the agent never became ready at " + options.ready() + ": " + e);
            failures.add("the agent never became ready at " + options.ready());
            failures.addAll(FailureSummary.cause(e));
            counts = counts.plus(new Counts(0, 1));
        }
        String summary = "vsock: " + counts.passed() + " passed, " + counts.failed() + " failed";
        System.out.println(summary);
        List<String> result = new ArrayList<>(List.of(summary));
        result.addAll(failures);
        Files.write(options.result(), result);
    }

    /** Tests passed and failed. */
    record Counts(long passed, long failed) {
        Counts plus(Counts other) {
            return new Counts(passed + other.passed, failed + other.failed);
        }
    }

    /** Runs {@code suites}, printing each failure in full and adding its summary to {@code failures}. */
    static Counts run(List<Class<?>> suites, List<String> failures) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        suites.forEach(c -> request.selectors(selectClass(c)));
        LauncherDiscoveryRequest discovery = request.build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(discovery, listener, new ProgressListener());
        TestExecutionSummary result = listener.getSummary();
        result.printFailuresTo(new PrintWriter(System.out, true), 30);
        failures.addAll(FailureSummary.of(result.getFailures()));
        long failed = result.getTotalFailureCount() + result.getContainersFailedCount();
        return new Counts(result.getTestsSucceededCount(), failed);
    }

    /** Command-line options of this runner. */
    /**
     * @param agentPid the agent's pid, for the checks that need its process ({@link VsockAgentChecks}); may be null
     * @param agentLog the agent's log, with {@code agentPid}
     */
    record Options(String exec, String ready, Path result, String agentPid, String agentLog) {
        static Options parse(String[] args) {
            List<String> a = new ArrayList<>(List.of(args));
            String exec = null;
            String ready = null;
            Path result = null;
            String agentPid = null;
            String agentLog = null;
            while (a.size() >= 2) {
                String name = a.remove(0);
                String value = a.remove(0);
                switch (name) {
                    case "--exec" -> exec = value;
                    case "--ready" -> ready = value;
                    case "--result" -> result = Path.of(value);
                    case "--agent-pid" -> agentPid = value;
                    case "--agent-log" -> agentLog = value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (exec == null || ready == null || result == null || !a.isEmpty() || (agentPid == null) != (agentLog == null)) {
                throw new IllegalArgumentException("usage: UserModeLinuxMain --exec EP --ready EP --result FILE"
                        + " [--agent-pid PID --agent-log FILE]");
            }
            return new Options(exec, ready, result, agentPid, agentLog);
        }
    }

    /** One line per finished test, so a hang is easy to place in the log. */
    static final class ProgressListener implements org.junit.platform.launcher.TestExecutionListener {
        @Override
        public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                org.junit.platform.engine.TestExecutionResult result) {
            if (id.isTest()) {
                System.out.println("  " + result.getStatus() + " " + id.getDisplayName());
            }
        }
    }

}
