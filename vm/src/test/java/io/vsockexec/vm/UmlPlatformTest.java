package io.vsockexec.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UmlPlatformTest {
    @Test
    void theReleaseIsTheNameOfTheModulesDirectory() {
        UmlPlatform p = new UmlPlatform(Path.of("/usr/bin/linux.uml"),
                Path.of("/usr/lib/uml/modules/6.1.176/kernel/net/vmw_vsock"));

        assertThat(p.release()).isEqualTo("6.1.176");
    }

    @Test
    void onlyLinuxSixSevenAndLaterAreGivenTheFavordynmodsBootParameter() {
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("6.1.176")).isFalse();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("6.6.58")).isFalse();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("5.19.0")).isFalse();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("6.7")).isTrue();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("6.12.9-amd64")).isTrue();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("7.0.1")).isTrue();
        assertThat(UmlPlatform.knowsFavorDynmodsParameter("unknown")).isFalse();
    }
}
