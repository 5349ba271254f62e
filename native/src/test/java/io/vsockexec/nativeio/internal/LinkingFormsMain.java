package io.vsockexec.nativeio.internal;

import java.util.Objects;

/**
 * Run by {@link LinkingFormsTest} in a JVM of its own, with the JDK's method-handle resolution
 * traced to standard output: builds the linking forms (unless the argument is {@code unprepared}),
 * then links the short-call shape and calls through it once, printing a marker line before and
 * after, so that the test can see what the linking still generated.
 */
public final class LinkingFormsMain {
    private LinkingFormsMain() {}

    public static void main(String[] args) {
        if (!(args.length > 0 && args[0].equals("unprepared"))) {
            LinkingForms.prepare();
        }
        System.out.println("-- linking");
        Objects.requireNonNull(Shapes.Critical.HANDLE);
        System.out.println("-- calling, euid " + ProcessLibc.geteuid());
        System.out.println("-- done");
    }
}
