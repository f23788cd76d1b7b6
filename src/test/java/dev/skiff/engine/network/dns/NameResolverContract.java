package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the embedded DNS server relies on from every {@link NameResolver}; an implementation's test extends this
 * and builds a resolver that knows {@code web} at 172.30.0.2 and the alias {@code api} shared by 172.30.0.4
 * and 172.30.0.5. Public, so the network code's resolver (in dev.skiff.engine.network) can extend it.
 */
public abstract class NameResolverContract {
    public static final Map<String, List<String>> NAMES = Map.of(
            "web", List.of("172.30.0.2"),
            "api", List.of("172.30.0.4", "172.30.0.5"));

    /** A resolver that answers {@link #NAMES} (name to addresses) for one container. */
    protected abstract NameResolver resolverFor(Map<String, List<String>> names);

    private static java.net.Inet4Address ip(String literal) {
        return (java.net.Inet4Address) java.net.InetAddress.ofLiteral(literal);
    }

    @Test
    public void lookup_knownName_givesItsAddresses() {
        NameResolver resolver = resolverFor(NAMES);

        assertThat(resolver.lookup("web")).containsExactly(ip("172.30.0.2"));
        assertThat(resolver.lookup("api")).containsExactlyInAnyOrder(ip("172.30.0.4"), ip("172.30.0.5"));
    }

    @Test
    public void lookup_unknownName_isEmptyNotNull() {
        assertThat(resolverFor(NAMES).lookup("example.org")).isNotNull().isEmpty();
    }

    @Test
    public void reverse_knownAddress_givesANameThatLooksUpToIt() {
        NameResolver resolver = resolverFor(NAMES);

        String name = resolver.reverse(ip("172.30.0.2"));

        assertThat(name).isNotBlank().doesNotEndWith(".");
        assertThat(resolver.lookup(name.toLowerCase(java.util.Locale.ROOT))).contains(ip("172.30.0.2"));
    }

    @Test
    public void reverse_unknownAddress_isNull() {
        assertThat(resolverFor(NAMES).reverse(ip("10.255.255.254"))).isNull();
    }
}
