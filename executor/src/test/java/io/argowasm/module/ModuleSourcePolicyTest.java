package io.argowasm.module;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which module URLs the sidecar fetches from: schemes, host globs and resolved addresses. */
class ModuleSourcePolicyTest {

    /** Names the tests resolve without DNS; any other name is unknown. */
    private static final Map<String, String> NAMES =
            Map.of(
                    "modules.example.com", "93.184.216.34",
                    "a.b.example.com", "93.184.216.34",
                    "example.com", "93.184.216.34",
                    "evil-example.com", "93.184.216.34",
                    "internal.example.com", "10.1.2.3",
                    "metadata.google.internal", "93.184.216.34");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = NAMES.get(host);
        if (address != null) {
            return new InetAddress[] {InetAddress.getByName(address)};
        }
        if (host.equals("dual.example.com")) {
            return new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("169.254.169.254")
            };
        }
        if (Character.digit(host.charAt(0), 16) >= 0 || host.contains(":")) {
            return InetAddress.getAllByName(host);
        }
        throw new UnknownHostException(host);
    }

    private static ModuleSourcePolicy.Builder policy() {
        return ModuleSourcePolicy.builder().resolver(ModuleSourcePolicyTest::resolve);
    }

    private static void check(ModuleSourcePolicy policy, String url) throws ModuleLoadException {
        policy.check(URI.create(url), "module " + url);
    }

    @Test
    void httpsToAPublicHostIsAdmittedByDefault() {
        assertThatCode(() -> check(policy().build(), "https://modules.example.com/m.wasm"))
                .doesNotThrowAnyException();
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() throws Exception {
        assertThatThrownBy(() -> check(policy().build(), "http://modules.example.com/m.wasm"))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("uses plain http")
                .hasMessageContaining("--allow-http");
        check(policy().allowHttp(true).build(), "http://modules.example.com/m.wasm");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> check(policy().allowHttp(true).build(), "ftp://example.com/m"))
                .hasMessageContaining("is not an http(s) URL");
    }

    @Test
    void hostGlobsAdmitOnlyMatchingHostsWhateverTheirCase() throws Exception {
        ModuleSourcePolicy policy = policy().hosts(List.of("*.example.com")).build();
        check(policy, "https://a.b.example.com/m.wasm");
        check(policy, "https://MODULES.Example.COM/m.wasm");
        for (String refused : List.of("https://example.com/m", "https://evil-example.com/m")) {
            assertThatThrownBy(() -> check(policy, refused))
                    .hasMessageContaining("is not in this sidecar's module hosts (*.example.com)")
                    .hasMessageContaining("--module-hosts");
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://169.254.169.254/latest/meta-data/",
                "https://[fe80::1]/m",
                "https://127.0.0.1/m",
                "https://2130706433/m",
                "https://[::1]/m",
                "https://0.0.0.0/m",
                "https://10.0.0.1/m",
                "https://172.16.0.1/m",
                "https://192.168.1.1/m",
                "https://[fd00:ec2::254]/m",
                "https://100.100.100.200/m",
                "https://[::ffff:169.254.169.254]/m",
                "https://[64:ff9b::a9fe:a9fe]/m",
                "https://[::169.254.169.254]/m",
                "https://[::127.0.0.1]/m",
                "https://[::a00:1]/m",
                "https://[2002:a9fe:a9fe::1]/m",
                "https://[2002:7f00:1::]/m",
                "https://[2002:c0a8:101:1::1]/m",
                "https://[2001:0:4136:e378:8000:63bf:5601:5601]/m",
                "https://[2001:0:1:2::f5ff:fffe]/m",
                "https://[2001::9b9b:9b37]/m",
                "https://224.0.0.1/m",
                "https://internal.example.com/m",
                "https://dual.example.com/m"
            })
    void nonPublicAddressesAreRefusedUnlessAllowed(String url) throws Exception {
        assertThatThrownBy(() -> check(policy().build(), url))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("which this sidecar does not fetch from")
                .hasMessageContaining("--allow-private-module-hosts");
        check(policy().allowPrivateHosts(true).build(), url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://metadata.google.internal/computeMetadata/v1/",
                "https://metadata.google.internal./computeMetadata/v1/",
                "https://METADATA/x"
            })
    void metadataServiceNamesAreRefusedWhateverTheyResolveTo(String url) {
        assertThatThrownBy(() -> check(policy().build(), url))
                .hasMessageContaining("is a cloud metadata service");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[::169.254.169.254]|a link-local address, where cloud metadata services live,"
                        + " embedded in an IPv4-compatible address (::a.b.c.d)",
                "[2002:7f00:1::]|a loopback address, embedded in a 6to4 address (2002::/16)",
                "[2001:0:4136:e378:8000:63bf:5601:5601]|a link-local address, where cloud metadata"
                        + " services live, embedded in a Teredo address (2001::/32)",
                "[64:ff9b::a00:1]|a private address, embedded in a NAT64 address (64:ff9b::/96)"
            })
    void anEmbeddedIpv4AddressIsNamedWithItsEmbedding(String hostAndKind) {
        String[] parts = hostAndKind.split("\\|");
        assertThatThrownBy(() -> check(policy().build(), "https://" + parts[0] + "/m"))
                .hasMessageContaining("is " + parts[1] + " (");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://[::5db8:d822]/m",
                "https://[2002:5db8:d822::1]/m",
                "https://[2001:0:4136:e378:8000:63bf:a247:27dd]/m",
                "https://[64:ff9b::5db8:d822]/m"
            })
    void anEmbeddedPublicIpv4AddressIsAdmitted(String url) {
        assertThatCode(() -> check(policy().build(), url)).doesNotThrowAnyException();
    }

    @Test
    void publicIpv6AddressesAreAdmitted() {
        assertThatCode(() -> check(policy().build(), "https://[2606:2800:220:1::1]/m"))
                .doesNotThrowAnyException();
    }

    @Test
    void aHostThatDoesNotResolveIsReported() {
        assertThatThrownBy(() -> check(policy().build(), "https://nowhere.invalid/m"))
                .hasMessageContaining("host nowhere.invalid could not be resolved");
    }

    @Test
    void hostGlobsWithASchemePortOrPathAreRefused() {
        for (String glob :
                List.of("https://example.com", "example.com:443", "example.com/m", " ")) {
            assertThatThrownBy(() -> ModuleSourcePolicy.builder().hosts(List.of(glob)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a host glob");
        }
        assertThatThrownBy(() -> ModuleSourcePolicy.builder().hosts(List.of()))
                .hasMessageContaining("is empty");
    }
}
