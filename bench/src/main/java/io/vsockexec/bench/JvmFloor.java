package io.vsockexec.bench;

/**
 * The JVM floor of the start-up rows: a one-class program that prints a line, which the
 * benchmark copies alone into a directory of its own and starts with the same {@code java} and
 * default settings. Nothing the JVM can start does less.
 */
public final class JvmFloor {
    private JvmFloor() {}

    public static void main(String[] args) {
        System.out.println("floor");
    }
}
