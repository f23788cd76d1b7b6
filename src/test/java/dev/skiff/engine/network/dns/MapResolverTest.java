package dev.skiff.engine.network.dns;

import java.util.List;
import java.util.Map;

/** The tests' own resolver keeps the contract the server relies on. */
class MapResolverTest extends NameResolverContract {
    @Override
    protected NameResolver resolverFor(Map<String, List<String>> names) {
        MapResolver resolver = new MapResolver();
        names.forEach((name, addresses) -> addresses.forEach(a -> resolver.add(name, a)));
        return resolver;
    }
}
