package com.example.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vsockexec.agent.Agent;
import io.vsockexec.agent.AgentConfig;
import io.vsockexec.client.Readiness;
import io.vsockexec.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart against a real agent, started in this JVM on Unix sockets: the same frames,
 * sockets and processes a VM's agent would see, without a VM.
 */
class QuickstartTest {
    @Test
    void runsCommandsThroughARealAgent(@TempDir Path dir) throws Exception {
        Endpoint exec = Endpoint.parse("unix://" + dir.resolve("exec.sock"));
        Endpoint ready = Endpoint.parse("unix://" + dir.resolve("ready.sock"));
        try (Agent agent = Agent.start(AgentConfig.builder().listen(exec).ready(ready).build())) {
            Readiness.await(ready, Duration.ofSeconds(30));
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = Quickstart.run(exec, new PrintStream(out, true, StandardCharsets.UTF_8));

            assertEquals(0, code);
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("kernel: Linux "), printed);
            assertTrue(printed.endsWith("building\ndone\n"), printed);
        }
    }
}
