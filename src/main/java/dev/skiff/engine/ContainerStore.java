package dev.skiff.engine;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers in SQLite ({@code <dataRoot>/skiff.db}, table {@code container_containers}), with a write-through
 * cache: the DB is the truth, every put commits before it returns, reads come from memory.
 *
 * <p>A row holds the container as JSON; the name has its own UNIQUE column so the database itself refuses
 * two containers with one name.
 */
public final class ContainerStore implements AutoCloseable {
    private final Connection db;
    private final ConcurrentHashMap<String, Container> byId = new ConcurrentHashMap<>();

    public ContainerStore(Path dbFile) {
        try {
            Files.createDirectories(dbFile.toAbsolutePath().getParent());
            db = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS container_containers ("
                        + "id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, json TEXT NOT NULL)");
            }
            load();
        } catch (SQLException | IOException e) {
            throw new InternalException("cannot open the container database " + dbFile + ": " + e.getMessage(), e);
        }
    }

    private void load() throws SQLException, IOException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT json FROM container_containers")) {
            while (rs.next()) {
                Container c = Json.MAPPER.readValue(rs.getString(1), Container.class);
                byId.put(c.id(), c);
            }
        }
    }

    /** Inserts or replaces; a name held by another container is a 409 with Docker's message. */
    public synchronized void put(Container c) {
        Container holder = findByName(c.name()).orElse(null);
        if (holder != null && !holder.id().equals(c.id())) {
            throw nameInUse(c.name(), holder.id());
        }
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT OR REPLACE INTO container_containers(id, name, json) VALUES (?, ?, ?)")) {
            ps.setString(1, c.id());
            ps.setString(2, c.name());
            ps.setString(3, Json.MAPPER.writeValueAsString(c));
            ps.executeUpdate();
        } catch (SQLException | IOException e) {
            throw new InternalException("cannot save container " + c.name() + ": " + e.getMessage(), e);
        }
        byId.put(c.id(), c);
    }

    public synchronized void delete(String id) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM container_containers WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new InternalException("cannot delete container " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }

    public static ConflictException nameInUse(String name, String holderId) {
        return new ConflictException("Conflict. The container name \"" + name + "\" is already in use by container \""
                + holderId + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    public Optional<Container> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Container> all() {
        return List.copyOf(byId.values());
    }

    public Optional<Container> findByName(String name) {
        String n = name.startsWith("/") ? name : "/" + name;
        return byId.values().stream().filter(c -> c.name().equals(n)).findFirst();
    }

    /**
     * Docker's lookup order: full ID, then exact name (with or without "/"), then a unique ID prefix.
     *
     * @throws NotFoundException "No such container: x"
     */
    public Container resolve(String idOrName) {
        return find(idOrName).orElseThrow(() -> new NotFoundException("No such container: " + idOrName));
    }

    public Optional<Container> find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return Optional.empty();
        }
        Container exact = byId.get(idOrName);
        if (exact != null) {
            return Optional.of(exact);
        }
        Optional<Container> named = findByName(idOrName);
        if (named.isPresent()) {
            return named;
        }
        List<Container> matches = new ArrayList<>();
        for (Container c : byId.values()) {
            if (c.id().startsWith(idOrName)) {
                matches.add(c);
            }
        }
        if (matches.size() > 1) {
            throw new InvalidArgumentException("multiple containers found with provided prefix: " + idOrName
                    + " (give more characters of the ID, or the name)");
        }
        return matches.stream().findFirst();
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new InternalException("cannot close the container database: " + e.getMessage(), e);
        }
    }
}
