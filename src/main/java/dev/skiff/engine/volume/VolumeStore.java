package dev.skiff.engine.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.skiff.errors.InternalException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Volumes and containers' mount points in the daemon's SQLite database (tables {@code volume_volumes} and
 * {@code volume_mounts}), with a write-through cache: every write commits before it returns.
 */
public final class VolumeStore {
    private static final TypeReference<List<MountPoint>> MOUNTS = new TypeReference<>() { };

    private final Sqlite db;
    private final Map<String, Volume> volumes = new ConcurrentHashMap<>();
    private final Map<String, List<MountPoint>> mounts = new ConcurrentHashMap<>();

    public VolumeStore(Sqlite db) {
        this.db = db;
        db.execute("CREATE TABLE IF NOT EXISTS volume_volumes (name TEXT PRIMARY KEY, json TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS volume_mounts (container_id TEXT PRIMARY KEY, json TEXT NOT NULL)");
        try {
            for (String json : db.query("SELECT json FROM volume_volumes", rs -> rs.getString(1))) {
                Volume v = Json.MAPPER.readValue(json, Volume.class);
                volumes.put(v.name(), v);
            }
            for (String[] row : db.query("SELECT container_id, json FROM volume_mounts",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                mounts.put(row[0], List.copyOf(Json.MAPPER.readValue(row[1], MOUNTS)));
            }
        } catch (IOException e) {
            throw new InternalException("cannot read the volume records in " + db.file() + ": " + e.getMessage()
                    + " (the database is damaged; restore it or remove the row)", e);
        }
    }

    public synchronized void put(Volume v) {
        write("INSERT OR REPLACE INTO volume_volumes(name, json) VALUES (?, ?)", v.name(), v);
        volumes.put(v.name(), v);
    }

    public synchronized void delete(String name) {
        db.update("DELETE FROM volume_volumes WHERE name = ?", name);
        volumes.remove(name);
    }

    public Optional<Volume> get(String name) {
        return Optional.ofNullable(volumes.get(name));
    }

    public Collection<Volume> all() {
        return List.copyOf(volumes.values());
    }

    public synchronized void putMounts(String containerId, List<MountPoint> mps) {
        write("INSERT OR REPLACE INTO volume_mounts(container_id, json) VALUES (?, ?)", containerId, mps);
        mounts.put(containerId, List.copyOf(mps));
    }

    public synchronized void deleteMounts(String containerId) {
        db.update("DELETE FROM volume_mounts WHERE container_id = ?", containerId);
        mounts.remove(containerId);
    }

    public List<MountPoint> mounts(String containerId) {
        return mounts.getOrDefault(containerId, List.of());
    }

    public Map<String, List<MountPoint>> allMounts() {
        return Map.copyOf(mounts);
    }

    /** The containers whose mount points name the volume, sorted: Docker's "in use" list. */
    public List<String> users(String volumeName) {
        return mounts.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(m -> m.isVolume() && m.name().equals(volumeName)))
                .map(Map.Entry::getKey).sorted().toList();
    }

    private void write(String sql, String key, Object value) {
        try {
            db.update(sql, key, Json.MAPPER.writeValueAsString(value));
        } catch (IOException | IllegalStateException e) {
            throw new InternalException("cannot save " + key + " in the volume database: " + e.getMessage(), e);
        }
    }
}
