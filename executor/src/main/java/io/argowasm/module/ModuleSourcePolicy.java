package io.argowasm.module;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which URLs the sidecar may fetch modules from. Whoever can create a Workflow chooses a module's
 * URL, so every URL, and every redirect, is checked here before it is fetched: its scheme, its host
 * against an allow-list of globs, and the addresses the host resolves to, so a template cannot make
 * the sidecar reach the cloud's metadata service, its own pod's loopback or other private addresses
 * unless the operator allows them.
 */
public final class ModuleSourcePolicy {

    /** Names of cloud metadata services, refused like the addresses they stand for. */
    private static final Set<String> METADATA_HOSTS =
            Set.of(
                    "metadata",
                    "metadata.google.internal",
                    "metadata.goog",
                    "instance-data",
                    "instance-data.ec2.internal");

    private final List<String> hosts;
    private final List<Pattern> hostPatterns;
    private final boolean allowHttp;
    private final boolean allowPrivateHosts;
    private final HostResolver resolver;
    private final List<Path> fileRoots;

    /** Resolves a host name to its addresses; replaceable so tests need no DNS. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private ModuleSourcePolicy(Builder builder) {
        this.hosts = List.copyOf(builder.hosts);
        this.hostPatterns = hosts.stream().map(ModuleSourcePolicy::glob).toList();
        this.allowHttp = builder.allowHttp;
        this.allowPrivateHosts = builder.allowPrivateHosts;
        this.resolver = builder.resolver;
        this.fileRoots = builder.fileRoots == null ? null : List.copyOf(builder.fileRoots);
    }

    /** Starts from the sidecar's defaults: https only, any public host. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * For local runs and tests: plain http and loopback or private hosts are allowed, as a module
     * server on the developer's machine needs.
     */
    public static ModuleSourcePolicy local() {
        return builder().allowHttp(true).allowPrivateHosts(true).build();
    }

    /**
     * Checks that a module file lies in a directory modules may be read from, after following
     * links, so a template cannot have the sidecar read its token or other files.
     *
     * @throws ModuleLoadException naming the directories, when it does not
     */
    public void checkFile(Path file) throws ModuleLoadException {
        if (fileRoots == null) {
            return;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            real = file.toAbsolutePath().normalize();
        }
        for (Path root : fileRoots) {
            if (real.startsWith(root)) {
                return;
            }
        }
        throw new ModuleLoadException(
                ("module file %s is outside the directories this sidecar reads modules from (%s);"
                                + " put the module there, serve it over https, or start the"
                                + " sidecar with %s")
                        .formatted(
                                file,
                                fileRoots.isEmpty()
                                        ? "none"
                                        : fileRoots.stream()
                                                .map(Path::toString)
                                                .collect(Collectors.joining(", ")),
                                ModuleFlags.MODULE_DIR));
    }

    /**
     * Checks that a module may be fetched from a URL.
     *
     * @param what how messages name the URL, e.g. "module https://..." or "redirect to ..."
     * @throws ModuleLoadException saying which rule refused it and which flag changes that
     */
    public void check(URI url, String what) throws ModuleLoadException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            if (!allowHttp) {
                throw new ModuleLoadException(
                        ("%s uses plain http, which this sidecar refuses: serve the module over"
                                        + " https, or start the sidecar with %s")
                                .formatted(what, ModuleFlags.ALLOW_HTTP));
            }
        } else if (!scheme.equals("https")) {
            throw new ModuleLoadException("%s is not an http(s) URL".formatted(what));
        }
        String host = host(url);
        if (host.isEmpty()) {
            throw new ModuleLoadException("%s has no host".formatted(what));
        }
        if (!admitted(host)) {
            throw new ModuleLoadException(
                    ("%s: host %s is not in this sidecar's module hosts (%s); use an allowed host,"
                                    + " or add it to %s")
                            .formatted(
                                    what,
                                    host,
                                    String.join(", ", hosts),
                                    ModuleFlags.MODULE_HOSTS));
        }
        if (allowPrivateHosts) {
            return;
        }
        if (METADATA_HOSTS.contains(host)) {
            throw privateHost(what, host, "a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new ModuleLoadException(
                    "%s: host %s could not be resolved; check the URL".formatted(what, host), e);
        }
        for (InetAddress address : addresses) {
            String kind = privateKind(address);
            if (kind != null) {
                throw privateHost(what, host, "%s (%s)".formatted(kind, address.getHostAddress()));
            }
        }
    }

    private boolean admitted(String host) {
        for (Pattern pattern : hostPatterns) {
            if (pattern.matcher(host).matches()) {
                return true;
            }
        }
        return false;
    }

    private static ModuleLoadException privateHost(String what, String host, String kind) {
        return new ModuleLoadException(
                ("%s: host %s is %s, which this sidecar does not fetch from; serve the module from"
                                + " a public host, or start the sidecar with %s")
                        .formatted(what, host, kind, ModuleFlags.ALLOW_PRIVATE_MODULE_HOSTS));
    }

    /** The host of a URL, lower case, without the brackets of an IPv6 literal. */
    private static String host(URI url) {
        String host = url.getHost();
        if (host == null) {
            return "";
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // A trailing dot names the same host; without this, "metadata.google.internal." passes.
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String privateKind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address, where cloud metadata services live";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT) address, where some metadata services live";
            }
            if (first == 0 || first >= 240) {
                return "a reserved address";
            }
            return null;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return "a unique local (private) address";
            }
            EmbeddedIpv4 embedded = EmbeddedIpv4.in(b);
            if (embedded != null) {
                String kind = privateKind(embedded.address());
                return kind == null ? null : "%s, embedded in %s".formatted(kind, embedded.how());
            }
        }
        return null;
    }

    /**
     * An IPv4 address carried inside an IPv6 one, which reaches that IPv4 host through a translator
     * or tunnel, so it is judged as that host. (IPv4-mapped {@code ::ffff:a.b.c.d} needs no case
     * here: Java turns it into the IPv4 address itself.)
     *
     * @param how the kind of embedding, for messages
     */
    private record EmbeddedIpv4(InetAddress address, String how) {

        /** The IPv4 address a 16-byte IPv6 address embeds, or null when it embeds none. */
        static EmbeddedIpv4 in(byte[] b) {
            if (zeros(b, 0, 12)) {
                return of(b, 12, 0, "an IPv4-compatible address (::a.b.c.d)");
            }
            if (b[0] == 0
                    && b[1] == 0x64
                    && (b[2] & 0xFF) == 0xFF
                    && (b[3] & 0xFF) == 0x9B
                    && zeros(b, 4, 12)) {
                return of(b, 12, 0, "a NAT64 address (64:ff9b::/96)");
            }
            if (b[0] == 0x20 && b[1] == 0x02) {
                return of(b, 2, 0, "a 6to4 address (2002::/16)");
            }
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
                // Teredo stores the client's address with every bit flipped.
                return of(b, 12, 0xFF, "a Teredo address (2001::/32)");
            }
            return null;
        }

        private static EmbeddedIpv4 of(byte[] b, int from, int flip, String how) {
            byte[] v4 = new byte[4];
            for (int i = 0; i < 4; i++) {
                v4[i] = (byte) (b[from + i] ^ flip);
            }
            try {
                return new EmbeddedIpv4(InetAddress.getByAddress(v4), how);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }

        private static boolean zeros(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A host glob: {@code *} stands for any characters, dots included; case does not matter. */
    private static Pattern glob(String glob) {
        return Pattern.compile(
                Arrays.stream(glob.toLowerCase(Locale.ROOT).split("\\*", -1))
                        .map(Pattern::quote)
                        .collect(Collectors.joining(".*")));
    }

    /** Collects a policy's rules. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>(List.of("*"));
        private boolean allowHttp;
        private boolean allowPrivateHosts;
        private HostResolver resolver = InetAddress::getAllByName;
        private List<Path> fileRoots;

        private Builder() {}

        /**
         * Restricts {@code module.file} to these directories (links followed); without this call
         * any readable file may be a module.
         */
        public Builder fileRoots(List<Path> directories) {
            fileRoots = new ArrayList<>();
            for (Path directory : directories) {
                try {
                    fileRoots.add(directory.toRealPath());
                } catch (IOException e) {
                    fileRoots.add(directory.toAbsolutePath().normalize());
                }
            }
            return this;
        }

        /**
         * The hosts modules may come from, as globs ({@code *.example.com}); the default {@code *}
         * admits any host.
         */
        public Builder hosts(List<String> globs) {
            if (globs.isEmpty()) {
                throw new IllegalArgumentException(
                        "the module hosts list is empty: give at least one host glob, or * for"
                                + " any host");
            }
            for (String glob : globs) {
                if (glob.isBlank() || glob.contains("/") || glob.contains(":")) {
                    throw new IllegalArgumentException(
                            ("module host '%s' is not a host glob such as modules.example.com or"
                                            + " *.example.com (no scheme, port or path)")
                                    .formatted(glob));
                }
            }
            hosts.clear();
            globs.forEach(g -> hosts.add(g.trim()));
            return this;
        }

        /** Allows plain {@code http:} URLs. */
        public Builder allowHttp(boolean allow) {
            this.allowHttp = allow;
            return this;
        }

        /**
         * Allows hosts on loopback, link-local (metadata services), private and other non-public
         * addresses.
         */
        public Builder allowPrivateHosts(boolean allow) {
            this.allowPrivateHosts = allow;
            return this;
        }

        public Builder resolver(HostResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        public ModuleSourcePolicy build() {
            return new ModuleSourcePolicy(this);
        }
    }
}
