package io.vsockexec.nativeio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forms {@link LinkingForms} builds are the ones the JDK's linker then finds built: in a
 * fresh JVM, after them, linking the short-call shape generates no bound-handle species and its
 * first call no invoker for its stub (the JDK's own trace of method-handle resolution says what it generated);
 * without them it does both. Their types follow JDK 25 on x86-64; elsewhere this is skipped.
 */
class LinkingFormsTest {
    /** The basic type of the invoker through which the shape's stub calls its native handle. */
    private static final String STUB_INVOKER = "LJLJLJLJLJLJLJLJJL_J";

    @Test
    void afterThemTheShortCallShapeLinksWithoutGeneratingSpeciesOrItsInvoker() throws Exception {
        assumeTrue(Shapes.SHARED && System.getProperty("os.arch").equals("amd64"), "x86-64 Linux only");

        List<String> prepared = generatedWhileLinking(run("prepared"));
        List<String> unprepared = generatedWhileLinking(run("unprepared"));

        assertThat(prepared).as("generated after the forms were built").isEmpty();
        assertThat(unprepared).as("generated without them").anyMatch(line -> line.contains("Species_LLJL"))
                .anyMatch(line -> line.contains(STUB_INVOKER));
    }

    /** The species and invokers the trace says were generated between the marker lines "-- linking" and "-- done". */
    private static List<String> generatedWhileLinking(List<String> trace) {
        assertThat(trace).as(String.join("\n", trace)).contains("-- linking", "-- done");
        return trace.subList(trace.indexOf("-- linking"), trace.indexOf("-- done")).stream()
                .filter(line -> line.startsWith("[SPECIES_RESOLVE]") && line.endsWith("(generated)")
                        || line.contains("invokeExact_MT " + STUB_INVOKER) && line.endsWith("(fail)"))
                .toList();
    }

    private static List<String> run(String mode) throws Exception {
        return ChildJvm.run(List.of("-Djava.lang.invoke.MethodHandle.TRACE_RESOLVE=true"), LinkingFormsMain.class, mode)
                .lines().toList();
    }
}
