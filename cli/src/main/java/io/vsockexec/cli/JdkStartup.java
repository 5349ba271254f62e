package io.vsockexec.cli;

/**
 * Settings of the JDK that make this short-lived process start faster, applied by {@link Main}
 * before anything else runs.
 *
 * <p>The first JDK socket channel (how {@code exec} dials Unix, TCP and hybrid endpoints) asks
 * {@link java.nio.channels.spi.SelectorProvider#provider()} for the provider, which, unless the
 * system property {@code java.nio.channels.spi.SelectorProvider} names one, looks for a provider
 * service by opening every jar on the class path. The command line ships no such service, so the
 * answer is always the JDK's default: naming it skips the search. A property the user set wins,
 * and a JDK without that class keeps the search.
 */
final class JdkStartup {
    static final String SELECTOR_PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** The JDK's default provider on Linux. */
    static final String LINUX_SELECTOR_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    private JdkStartup() {}

    /** Applies the settings; safe to call more than once. */
    static void apply() {
        if (System.getProperty(SELECTOR_PROVIDER_PROPERTY) == null && exists(LINUX_SELECTOR_PROVIDER)) {
            System.setProperty(SELECTOR_PROVIDER_PROPERTY, LINUX_SELECTOR_PROVIDER);
        }
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, ClassLoader.getPlatformClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
