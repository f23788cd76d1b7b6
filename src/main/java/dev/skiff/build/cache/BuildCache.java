package dev.skiff.build.cache;

import dev.skiff.sys.Sqlite;
import java.util.List;
import java.util.Optional;

/**
 * Step results by cache key, in the shared metadata database (table "build_cache"), so the cache survives
 * restarts. A record names an image; the image store owns the image. A record whose image is gone (removed with
 * rmi) is a miss, and {@link #remove} forgets it.
 */
public final class BuildCache {
    private final Sqlite db;

    public BuildCache(Sqlite db) {
        this.db = db;
        db.execute("CREATE TABLE IF NOT EXISTS build_cache (key TEXT PRIMARY KEY, image_id TEXT NOT NULL,"
                        + " parent_id TEXT NOT NULL, description TEXT NOT NULL, size INTEGER NOT NULL,"
                        + " created INTEGER NOT NULL, last_used INTEGER NOT NULL, usage_count INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS build_cache_by_image ON build_cache (image_id)");
    }

    public Optional<CacheRecord> find(String key) {
        return db.query("SELECT * FROM build_cache WHERE key = ?", BuildCache::row, key).stream().findFirst();
    }

    /** Marks a hit: last-used time and usage count, as BuildKit shows them. */
    public void touch(String key, long nowMillis) {
        db.update("UPDATE build_cache SET last_used = ?, usage_count = usage_count + 1 WHERE key = ?", nowMillis, key);
    }

    /** Stores a step's result (replacing an older record for the same key, whose image went away). */
    public void put(String key, String imageId, String parentId, String description, long size, long nowMillis) {
        db.update("INSERT OR REPLACE INTO build_cache (key, image_id, parent_id, description, size, created,"
                + " last_used, usage_count) VALUES (?,?,?,?,?,?,?,0)", key, imageId, parentId, description, size,
                nowMillis, nowMillis);
    }

    public List<CacheRecord> all() {
        return db.query("SELECT * FROM build_cache ORDER BY created", BuildCache::row);
    }

    public void remove(String key) {
        db.update("DELETE FROM build_cache WHERE key = ?", key);
    }

    private static CacheRecord row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CacheRecord(rs.getString("key"), rs.getString("image_id"), rs.getString("parent_id"),
                rs.getString("description"), rs.getLong("size"), rs.getLong("created"), rs.getLong("last_used"),
                rs.getLong("usage_count"));
    }
}
