package io.vsockexec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK settings the command line applies as it starts, to spare itself a search of its class path. */
class JdkStartupTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY);
        } else {
            System.setProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY, saved);
        }
    }

    @Test
    void namesTheJdksOwnSelectorProviderWhenNobodyChoseOne() {
        System.clearProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY);
        JdkStartup.apply();
        assertThat(System.getProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY))
                .isEqualTo(JdkStartup.LINUX_SELECTOR_PROVIDER);
    }

    @Test
    void theNamedProviderIsTheOneTheJdkUsesByDefault() {
        assertThat(SelectorProvider.provider().getClass().getName()).isEqualTo(JdkStartup.LINUX_SELECTOR_PROVIDER);
    }

    @Test
    void leavesAProviderTheUserChoseAlone() {
        System.setProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY, "com.example.Provider");
        JdkStartup.apply();
        assertThat(System.getProperty(JdkStartup.SELECTOR_PROVIDER_PROPERTY)).isEqualTo("com.example.Provider");
    }
}
