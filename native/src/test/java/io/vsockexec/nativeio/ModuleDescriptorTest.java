package io.vsockexec.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The method handles and struct layouts of the internal package are reachable from no other module. */
class ModuleDescriptorTest {
    @Test
    void exportsThePublicPackageAndNotTheInternalOne() {
        Module nativeio = Descriptor.class.getModule();
        assumeTrue(nativeio.isNamed(), "runs on the module path only");

        assertThat(nativeio.getName()).isEqualTo("io.vsockexec.nativeio");
        assertThat(nativeio.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("io.vsockexec.nativeio");
        assertThat(nativeio.getDescriptor().packages()).contains("io.vsockexec.nativeio.internal");
    }
}
