package io.vsockexec.cli;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import sun.security.jca.ProviderList;
import sun.security.jca.Providers;

/**
 * Lets the JDK's Unix socket channel start without loading the security providers.
 *
 * <p>The first Unix socket channel initializes {@code sun.nio.ch.UnixDomainSockets}, which, as
 * its class initializes, asks for a {@code NativePRNGNonBlocking} {@link SecureRandom} (used
 * only to name the sockets it binds automatically, which a client that connects never does).
 * That request loads the {@code SUN} provider with its hundreds of services and its table of
 * known OIDs, and instantiates the generator reflectively: a third of the CPU time of a whole
 * {@code exec}. Here the class initializes while this thread's provider list holds one small
 * provider whose generator defers: on its first use it takes the same algorithm from the
 * system's providers, so a socket name drawn later is drawn as before.
 *
 * <p>This reaches the JDK's {@code sun.security.jca}, which the launcher exports to the class
 * path. Without that export (the command line run some other way) or on a JDK where the classes
 * differ, it does nothing and the channel initializes as usual.
 */
final class UnixChannelStartup {
    /** The algorithm {@code UnixDomainSockets} asks for. */
    static final String ALGORITHM = "NativePRNGNonBlocking";
    private static final String CHANNEL_CLASS = "sun.nio.ch.UnixDomainSockets";
    private static boolean prepared;

    private UnixChannelStartup() {}

    /** Initializes the JDK's Unix socket support, once, before the first Unix channel opens. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        try {
            ProviderList previous = Providers.beginThreadProviderList(ProviderList.newList(new StartupProvider()));
            try {
                Class.forName(CHANNEL_CLASS, true, null);
            } finally {
                Providers.endThreadProviderList(previous);
            }
        } catch (LinkageError | ClassNotFoundException | RuntimeException e) {
            // Not exported to this code, or a JDK without these classes: the usual initialization.
        }
    }

    /** The one provider on this thread's list while the channel class initializes. */
    private static final class StartupProvider extends Provider {
        private static final long serialVersionUID = 1L;

        StartupProvider() {
            super("VsockexecStartup", "1", "a SecureRandom that defers to the system's providers");
            putService(new DeferredService(this));
        }
    }

    /** Instantiates the generator directly: reflection would spin method-handle classes. */
    private static final class DeferredService extends Provider.Service {
        DeferredService(Provider provider) {
            super(provider, "SecureRandom", ALGORITHM, DeferredRandom.class.getName(), null, null);
        }

        @Override
        public Object newInstance(Object parameter) {
            return new DeferredRandom();
        }
    }

    /** Takes {@link #ALGORITHM} from the system's providers on first use and passes every call on. */
    static final class DeferredRandom extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private transient SecureRandom delegate;

        private synchronized SecureRandom delegate() {
            if (delegate == null) {
                try {
                    delegate = SecureRandom.getInstance(ALGORITHM);
                } catch (NoSuchAlgorithmException e) {
                    delegate = new SecureRandom();
                }
            }
            return delegate;
        }

        /** The algorithm of the generator it passes calls to. */
        String algorithm() {
            return delegate().getAlgorithm();
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            delegate().setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            delegate().nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return delegate().generateSeed(numBytes);
        }
    }
}
