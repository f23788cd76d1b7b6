package dev.skiff.engine.network;

import dev.skiff.errors.InternalException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Networks and endpoints in the daemon's SQLite database (tables {@code network_networks} and
 * {@code network_endpoints}), with a write-through cache: every write commits before it returns. An endpoint's
 * row holds its allocated address, so the addresses in use are exactly the attached endpoints' ones.
 */
public final class NetworkStore {
    private final Sqlite db;
    private final Map<String, Network> networks = new ConcurrentHashMap<>();
    /** container id → network id → endpoint */
    private final Map<String, Map<String, Endpoint>> endpoints = new ConcurrentHashMap<>();
    /** Containers {@link #setUnattached} marked, kept in memory as the rest (asked at every start of some). */
    private final java.util.Set<String> unattached = ConcurrentHashMap.newKeySet();

    public NetworkStore(Sqlite db) {
        this.db = db;
        db.execute("CREATE TABLE IF NOT EXISTS network_networks (id TEXT PRIMARY KEY, json TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS network_endpoints (container_id TEXT NOT NULL, network_id TEXT NOT NULL,"
                        + " json TEXT NOT NULL, PRIMARY KEY (container_id, network_id))",
                // containers disconnected from their last network by hand: they start with loopback only, instead
                // of joining their NetworkMode's network again (what a container without endpoints otherwise does)
                "CREATE TABLE IF NOT EXISTS network_unattached (container_id TEXT PRIMARY KEY)");
        try {
            for (String json : db.query("SELECT json FROM network_networks", rs -> rs.getString(1))) {
                Network n = Json.MAPPER.readValue(json, Network.class);
                networks.put(n.id(), n);
            }
            for (String json : db.query("SELECT json FROM network_endpoints", rs -> rs.getString(1))) {
                Endpoint e = Json.MAPPER.readValue(json, Endpoint.class);
                endpoints.computeIfAbsent(e.containerId(), k -> new ConcurrentHashMap<>()).put(e.networkId(), e);
            }
            unattached.addAll(db.query("SELECT container_id FROM network_unattached", rs -> rs.getString(1)));
        } catch (IOException e) {
            throw new InternalException("cannot read the network records in " + db.file() + ": " + e.getMessage()
                    + " (the database is damaged; restore it or remove the row)", e);
        }
    }

    public synchronized void put(Network n) {
        write("INSERT OR REPLACE INTO network_networks(id, json) VALUES (?, ?)", n, n.id());
        networks.put(n.id(), n);
    }

    public synchronized void delete(String networkId) {
        db.update("DELETE FROM network_networks WHERE id = ?", networkId);
        networks.remove(networkId);
    }

    public Optional<Network> get(String id) {
        return Optional.ofNullable(networks.get(id));
    }

    public Optional<Network> byName(String name) {
        return networks.values().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Oldest first, as the store has no other order to offer. */
    public List<Network> all() {
        return networks.values().stream().sorted(Comparator.comparing(Network::created)).toList();
    }

    public synchronized void putEndpoint(Endpoint e) {
        write("INSERT OR REPLACE INTO network_endpoints(container_id, network_id, json) VALUES (?, ?, ?)", e,
                e.containerId(), e.networkId());
        endpoints.computeIfAbsent(e.containerId(), k -> new ConcurrentHashMap<>()).put(e.networkId(), e);
    }

    public synchronized void deleteEndpoint(String containerId, String networkId) {
        db.update("DELETE FROM network_endpoints WHERE container_id = ? AND network_id = ?", containerId, networkId);
        Map<String, Endpoint> m = endpoints.get(containerId);
        if (m != null) {
            m.remove(networkId);
            if (m.isEmpty()) {
                endpoints.remove(containerId);
            }
        }
    }

    /** The container's endpoints, in the order they were made (by interface name). */
    public List<Endpoint> endpointsOf(String containerId) {
        Map<String, Endpoint> m = endpoints.get(containerId);
        return m == null ? List.of() : m.values().stream().sorted(Comparator.comparing(NetworkStore::order)).toList();
    }

    public Optional<Endpoint> endpoint(String containerId, String networkId) {
        Map<String, Endpoint> m = endpoints.get(containerId);
        return Optional.ofNullable(m == null ? null : m.get(networkId));
    }

    public List<Endpoint> endpointsOn(String networkId) {
        return endpoints.values().stream().flatMap(m -> m.values().stream())
                .filter(e -> e.networkId().equals(networkId)).toList();
    }

    public Collection<String> containersWithEndpoints() {
        return List.copyOf(endpoints.keySet());
    }

    /** Records that the container was disconnected from its last network on purpose (or, false, forgets it). */
    public synchronized void setUnattached(String containerId, boolean unattached) {
        if (unattached) {
            db.update("INSERT OR IGNORE INTO network_unattached(container_id) VALUES (?)", containerId);
            this.unattached.add(containerId);
        } else if (this.unattached.contains(containerId)) {
            db.update("DELETE FROM network_unattached WHERE container_id = ?", containerId);
            this.unattached.remove(containerId);
        }
    }

    public boolean unattached(String containerId) {
        return unattached.contains(containerId);
    }

    /** Every container marked by {@link #setUnattached}. */
    public List<String> unattachedContainers() {
        return List.copyOf(unattached);
    }

    /** "eth10" after "eth9"; endpoints not yet attached (no interface) last, by network id. */
    private static String order(Endpoint e) {
        String n = e.ifName();
        return n.startsWith("eth") ? String.format("%05d", Integer.parseInt(n.substring(3))) : "z" + e.networkId();
    }

    private void write(String sql, Object value, String... keys) {
        try {
            Object[] params = new Object[keys.length + 1];
            System.arraycopy(keys, 0, params, 0, keys.length);
            params[keys.length] = Json.MAPPER.writeValueAsString(value);
            db.update(sql, params);
        } catch (IOException | IllegalStateException e) {
            throw new InternalException("cannot save " + keys[0] + " in the network database: " + e.getMessage(), e);
        }
    }
}
