package io.vsockexec.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The vhost-user protocol and the device are the module's implementation: only its API package is exported. */
class ModuleDescriptorTest {
    @Test
    void exportsTheApiPackageAndNotTheProtocolOrTheDevice() {
        Module vm = VsockBackend.class.getModule();
        assumeTrue(vm.isNamed(), "runs on the module path only");

        assertThat(vm.getName()).isEqualTo("io.vsockexec.vm");
        assertThat(vm.getDescriptor().exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactly("io.vsockexec.vm");
        assertThat(vm.getDescriptor().packages()).contains("io.vsockexec.vm.vhost", "io.vsockexec.vm.vsock");
    }
}
