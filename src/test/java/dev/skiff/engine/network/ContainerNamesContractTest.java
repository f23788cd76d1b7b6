package dev.skiff.engine.network;

import dev.skiff.engine.network.dns.NameResolver;
import dev.skiff.engine.network.dns.NameResolverContract;
import dev.skiff.sys.Sqlite;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The network code's resolver keeps the embedded DNS server's contract, on a real store. */
class ContainerNamesContractTest extends NameResolverContract {
    @TempDir
    Path tmp;
    private Sqlite db;

    @Override
    protected NameResolver resolverFor(Map<String, List<String>> names) {
        try {
            db = Sqlite.open(tmp.resolve("skiff.db"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        NetworkStore store = new NetworkStore(db);
        Network n = new Network("a".repeat(64), "app", "bridge", "2026-01-01T00:00:00Z", "br-a", "172.30.0.0/24",
                "172.30.0.1", "", false, false, false, Map.of(), Map.of(), true);
        store.put(n);
        Map<String, String> containerNames = new HashMap<>();
        int i = 0;
        String asker = "f".repeat(64);
        containerNames.put(asker, "asker");
        store.putEndpoint(new Endpoint(asker, n.id(), "e", List.of(), "", "", "172.30.0.9", "", "eth0", List.of(), null));
        for (Map.Entry<String, List<String>> e : names.entrySet()) {
            boolean shared = e.getValue().size() > 1;
            for (String ip : e.getValue()) {
                String id = String.format("%064d", ++i);
                containerNames.put(id, shared ? e.getKey() + "-" + i : e.getKey());
                store.putEndpoint(new Endpoint(id, n.id(), "e", shared ? List.of(e.getKey()) : List.of(), "", "", ip, "",
                        "eth0", List.of(), null));
            }
        }
        return new ContainerNames(store, asker, containerNames::get);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }
}
