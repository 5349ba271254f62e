package io.vsockexec.bench;

import io.vsockexec.client.Command;
import io.vsockexec.client.VsockExecClient;
import io.vsockexec.transport.Endpoint;
import java.util.Arrays;

/**
 * A command line for the smoke test, run as the benchmark runs {@code vsockexec}: {@code agent
 * OPTIONS} starts {@link TestAgentMain}'s agent, {@code exec --connect ENDPOINT -- WORD...} runs
 * the words through the SDK, {@code --version} prints a line. (The real command lives in the
 * module above this one.)
 */
public final class TestCliMain {
    private TestCliMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "agent" -> TestAgentMain.main(Arrays.copyOfRange(args, 1, args.length));
            case "--version" -> System.out.println("test cli");
            case "exec" -> System.exit(VsockExecClient.of(Endpoint.parse(args[2]))
                    .stream(Command.argv(Arrays.asList(args).subList(4, args.length)), System.out, System.err)
                    .exitCode());
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }
}
