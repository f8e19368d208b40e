package dev.queuebench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Splitting a server URL into its parts, and never showing its password in a value or an error. */
class ServerUrlTest {
    private static final ServerUrl.Form FORM = new ServerUrl.Form("a Test URL", List.of("test", "tests"), 7000,
            "test://user:password@host:port/path?name=value");

    @Test
    void everyPartIsSplitOutAndPercentDecoded() {
        ServerUrl url = ServerUrl.parse("TEST://app:p%40ss%3Aw+rd@db.example:7001/jobs%2Fa?sslMode=trust&x#m%231",
                FORM);

        assertThat(url.scheme()).isEqualTo("test");
        assertThat(url.user()).isEqualTo("app");
        assertThat(url.password()).isEqualTo("p@ss:w+rd");
        assertThat(url.servers()).containsExactly(new ServerUrl.Server("db.example", 7001));
        assertThat(url.path()).isEqualTo("/jobs/a");
        assertThat(url.parameters()).containsExactly(Map.entry("sslMode", "trust"),
                Map.entry("x", ""));
        assertThat(url.fragment()).isEqualTo("m#1");
    }

    @Test
    void missingPartsAreEmptyOrNullAndTheDefaultPortApplies() {
        ServerUrl bare = ServerUrl.parse("test://db.example", FORM);
        ServerUrl userOnly = ServerUrl.parse("tests://alice@db.example/", FORM);

        assertThat(bare.user()).isNull();
        assertThat(bare.password()).isNull();
        assertThat(bare.servers()).containsExactly(new ServerUrl.Server("db.example", 7000));
        assertThat(bare.path()).isEmpty();
        assertThat(bare.parameters()).isEmpty();
        assertThat(bare.fragment()).isNull();
        assertThat(userOnly.user()).isEqualTo("alice");
        assertThat(userOnly.password()).isNull();
        assertThat(userOnly.path()).isEqualTo("/");
    }

    @Test
    void severalHostsAreListedInOrderWithTheCredentialsOnce() {
        ServerUrl url = ServerUrl.parse("test://:s%3Acret@10.0.0.1:7001,10.0.0.2,node-3:7003/4#orders", FORM);

        assertThat(url.servers()).containsExactly(new ServerUrl.Server("10.0.0.1", 7001),
                new ServerUrl.Server("10.0.0.2", 7000), new ServerUrl.Server("node-3", 7003));
        assertThat(url.user()).isEmpty();
        assertThat(url.password()).isEqualTo("s:cret");
        assertThat(url.path()).isEqualTo("/4");
        assertThat(url.fragment()).isEqualTo("orders");
        assertThatThrownBy(() -> url.onlyServer("test://...", FORM, "it must name one host"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("one host");
    }

    @Test
    void redactedAndToStringMaskThePasswordAndSecretParameters() {
        ServerUrl url = ServerUrl.parse("test://app:hunter2@h1:7001,h2/jobs?password=hunter2&sslMode=trust", FORM);

        assertThat(url.redacted()).isEqualTo("test://app:****@h1:7001,h2:7000/jobs?password=****&sslMode=trust");
        assertThat(url.toString()).doesNotContain("hunter2");
    }

    @Test
    void badUrlsNameTheOptionAndTheFormsWithoutThePassword() {
        for (String bad : List.of("http://app:hunter2@h:1", "test://app:hun ter2@db example/x", "test:opaque",
                "test://app:hunter2@h1:1,h 2", "test://app:hunter2@h:x1", "test://hunter2@h 1")) {
            assertThatThrownBy(() -> ServerUrl.parse(bad, FORM)).as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("'url' is not a Test URL: '")
                    .hasMessageContaining("; use test://").hasMessageContaining("@host:port/path?name=value")
                    .hasMessageNotContaining("ter2");
        }
        assertThatThrownBy(() -> ServerUrl.parse("http://h:1", FORM))
                .hasMessageContaining("'http://h:1'; the scheme must be test or tests; use test://");
        assertThatThrownBy(() -> ServerUrl.parse("test://app:hunter2@h:99999", FORM))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("'url' has port '99999'; a port is 1 to 65535; use test://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ServerUrl.parse("test://h1:1,h2:0", FORM))
                .hasMessageStartingWith("'url' has port '0'; a port is 1 to 65535");
    }
}
