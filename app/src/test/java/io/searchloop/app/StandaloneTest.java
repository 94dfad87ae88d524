package io.searchloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StandaloneTest {

    @Test
    void shouldRefuseTheInMemoryRegistryForAServiceOnItsOwn() {
        assertThatThrownBy(() -> Standalone.sharedRegistry("mock://searchloop"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCHEMA_REGISTRY_URL=mock://searchloop")
                .hasMessageContaining("./run infra");
    }

    @Test
    void shouldAcceptARegistryOtherProcessesShare() {
        assertThat(Standalone.sharedRegistry("http://registry-1:8081, http://registry-2:8081"))
                .isEqualTo("http://registry-1:8081, http://registry-2:8081");
    }
}
