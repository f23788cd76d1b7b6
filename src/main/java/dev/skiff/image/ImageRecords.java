package dev.skiff.image;

import dev.skiff.sys.Sqlite;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Image metadata in the shared skiff.db, in tables prefixed "image_": images (the config bytes exactly as
 * stored, since the ID is their digest), tags and repo digests (normalized references), and which blob holds
 * each layer's tar, or, for a layer a build step committed, which layer directory regenerates it. An image row is
 * written only after its layers are in place.
 */
final class ImageRecords {
    private final Sqlite db;

    ImageRecords(Sqlite db) {
        this.db = db;
        db.execute(
                "CREATE TABLE IF NOT EXISTS image_images (id TEXT PRIMARY KEY, config BLOB NOT NULL,"
                        + " parent TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL, added INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS image_tags (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL,"
                        + " tagged INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS image_tags_by_image ON image_tags (image_id)",
                "CREATE TABLE IF NOT EXISTS image_repo_digests (ref TEXT PRIMARY KEY, image_id TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS image_layer_blobs (diff_id TEXT PRIMARY KEY, blob TEXT NOT NULL,"
                        + " media_type TEXT NOT NULL)",
                // images a forced rmi deleted while stopped containers still ran on them: no one can name them any
                // more, but their layers stay until the last such container goes (as dockerd's layer references)
                "CREATE TABLE IF NOT EXISTS image_retained (id TEXT PRIMARY KEY, config BLOB NOT NULL)");
        // Added after the table: stores made before it get the column (NULL: every layer there has a blob).
        if (db.query("PRAGMA table_info(image_layer_blobs)", r -> r.getString("name")).stream()
                .noneMatch("source"::equals)) {
            db.execute("ALTER TABLE image_layer_blobs ADD COLUMN source TEXT");
        }
    }

    /** One image row. */
    record Row(String id, byte[] config, String parent, long size, long added) {
    }

    /**
     * Where a layer's tar is kept in the content store, and in which compression.
     *
     * @param source null when the blob is in the content store; for a layer committed from a build step's upper
     *               directory, the chainID of the layer directory whose {@link LayerDiff#writeLayer} gives the tar
     *               again (then {@code blob} is the diffID and no such blob is stored; see {@link LayerTars})
     */
    record LayerBlob(Digest blob, String mediaType, Digest source) {
        LayerBlob(Digest blob, String mediaType) {
            this(blob, mediaType, null);
        }

        /** A tar not kept as a blob but regenerated from the layer directory {@code chainId}. */
        static LayerBlob regenerated(Digest diffId, Digest chainId) {
            return new LayerBlob(diffId, Compression.NONE.mediaType(), chainId);
        }

        boolean isRegenerated() {
            return source != null;
        }
    }

    /** Inserts the image (if new) and points {@code tags} at it; returns the image IDs the tags left. */
    List<String> put(Row row, List<String> tags, List<String> repoDigests) {
        return db.transaction(c -> {
            Sqlite.update(c, "INSERT OR IGNORE INTO image_images (id, config, parent, size, added) VALUES (?,?,?,?,?)",
                    row.id(), row.config(), row.parent(), row.size(), row.added());
            List<String> replaced = new ArrayList<>();
            for (String tag : tags) {
                setTag(c, tag, row.id()).ifPresent(replaced::add);
            }
            for (String ref : repoDigests) {
                Sqlite.update(c, "INSERT OR REPLACE INTO image_repo_digests (ref, image_id) VALUES (?,?)", ref, row.id());
            }
            return replaced;
        });
    }

    /** Points {@code ref} at {@code imageId}; returns the image it pointed at before, if another. */
    Optional<String> tag(String ref, String imageId) {
        return db.transaction(c -> setTag(c, ref, imageId));
    }

    private static Optional<String> setTag(Connection c, String ref, String imageId) throws SQLException {
        List<String> old = Sqlite.query(c, "SELECT image_id FROM image_tags WHERE ref = ?", r -> r.getString(1), ref);
        Sqlite.update(c, "INSERT OR REPLACE INTO image_tags (ref, image_id, tagged) VALUES (?,?,?)",
                ref, imageId, System.currentTimeMillis());
        return old.stream().filter(id -> !id.equals(imageId)).findFirst();
    }

    boolean untag(String ref) {
        return db.update("DELETE FROM image_tags WHERE ref = ?", ref) > 0;
    }

    boolean removeRepoDigest(String ref) {
        return db.update("DELETE FROM image_repo_digests WHERE ref = ?", ref) > 0;
    }

    void delete(String imageId) {
        db.transaction(c -> {
            Sqlite.update(c, "DELETE FROM image_tags WHERE image_id = ?", imageId);
            Sqlite.update(c, "DELETE FROM image_repo_digests WHERE image_id = ?", imageId);
            return Sqlite.update(c, "DELETE FROM image_images WHERE id = ?", imageId);
        });
    }

    /** Deletes the image as {@link #delete} does, keeping its config among the retained ones, in one transaction. */
    void retain(String imageId) {
        db.transaction(c -> {
            Sqlite.update(c, "INSERT OR REPLACE INTO image_retained (id, config)"
                    + " SELECT id, config FROM image_images WHERE id = ?", imageId);
            Sqlite.update(c, "DELETE FROM image_tags WHERE image_id = ?", imageId);
            Sqlite.update(c, "DELETE FROM image_repo_digests WHERE image_id = ?", imageId);
            return Sqlite.update(c, "DELETE FROM image_images WHERE id = ?", imageId);
        });
    }

    /** The retained images' IDs and configs (see {@link #retain}). */
    Map<String, byte[]> retained() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        db.query("SELECT id, config FROM image_retained", r -> Map.entry(r.getString(1), r.getBytes(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    void release(String imageId) {
        db.update("DELETE FROM image_retained WHERE id = ?", imageId);
    }

    Optional<Row> get(String imageId) {
        return db.query("SELECT id, config, parent, size, added FROM image_images WHERE id = ?", ImageRecords::row, imageId)
                .stream().findFirst();
    }

    List<Row> all() {
        return db.query("SELECT id, config, parent, size, added FROM image_images", ImageRecords::row);
    }

    /** Image IDs starting with "sha256:" + {@code hexPrefix}. */
    List<String> idsWithPrefix(String hexPrefix) {
        return db.query("SELECT id FROM image_images WHERE substr(id, 1, ?) = ?", r -> r.getString(1),
                7 + hexPrefix.length(), "sha256:" + hexPrefix);
    }

    Optional<String> byTag(String ref) {
        return db.query("SELECT image_id FROM image_tags WHERE ref = ?", r -> r.getString(1), ref).stream().findFirst();
    }

    Optional<String> byRepoDigest(String ref) {
        return db.query("SELECT image_id FROM image_repo_digests WHERE ref = ?", r -> r.getString(1), ref)
                .stream().findFirst();
    }

    /** Tags per image ID, oldest tag first. */
    Map<String, List<String>> tags() {
        return grouped("SELECT image_id, ref FROM image_tags ORDER BY tagged, ref");
    }

    Map<String, List<String>> repoDigests() {
        return grouped("SELECT image_id, ref FROM image_repo_digests ORDER BY ref");
    }

    /** When the image was last tagged (epoch millis), or 0. */
    long lastTagged(String imageId) {
        List<Long> t = db.query("SELECT max(tagged) FROM image_tags WHERE image_id = ?", r -> r.getLong(1), imageId);
        return t.isEmpty() ? 0 : t.getFirst();
    }

    private Map<String, List<String>> grouped(String sql) {
        Map<String, List<String>> byImage = new LinkedHashMap<>();
        for (String[] pair : db.query(sql, r -> new String[] {r.getString(1), r.getString(2)})) {
            byImage.computeIfAbsent(pair[0], k -> new ArrayList<>()).add(pair[1]);
        }
        return byImage;
    }

    void putLayerBlob(Digest diffId, LayerBlob blob) {
        db.update("INSERT OR REPLACE INTO image_layer_blobs (diff_id, blob, media_type, source) VALUES (?,?,?,?)",
                diffId.toString(), blob.blob().toString(), blob.mediaType(),
                blob.source() == null ? null : blob.source().toString());
    }

    Optional<LayerBlob> layerBlob(Digest diffId) {
        return db.query("SELECT blob, media_type, source FROM image_layer_blobs WHERE diff_id = ?",
                ImageRecords::layerBlob, diffId.toString()).stream().findFirst();
    }

    Map<Digest, LayerBlob> layerBlobs() {
        Map<Digest, LayerBlob> all = new LinkedHashMap<>();
        for (Object[] r : db.query("SELECT diff_id, blob, media_type, source FROM image_layer_blobs",
                r -> new Object[] {r.getString(1), layerBlob(r)})) {
            all.put(Digest.parse((String) r[0]), (LayerBlob) r[1]);
        }
        return all;
    }

    private static LayerBlob layerBlob(java.sql.ResultSet r) throws SQLException {
        String source = r.getString("source");
        return new LayerBlob(Digest.parse(r.getString("blob")), r.getString("media_type"),
                source == null ? null : Digest.parse(source));
    }

    void deleteLayerBlob(Digest diffId) {
        db.update("DELETE FROM image_layer_blobs WHERE diff_id = ?", diffId.toString());
    }

    private static Row row(java.sql.ResultSet r) throws SQLException {
        return new Row(r.getString(1), r.getBytes(2), r.getString(3), r.getLong(4), r.getLong(5));
    }
}
