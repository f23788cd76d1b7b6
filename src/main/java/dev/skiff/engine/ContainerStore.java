package dev.skiff.engine;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.nio.file.Path;
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
    private final Sqlite db;
    /** Whether this store opened the database itself (and so closes it). */
    private final boolean ownsDb;
    private final ConcurrentHashMap<String, Container> byId = new ConcurrentHashMap<>();
    /**
     * Names promised to containers still being created (name -> ID), guarded by this store's lock: a create
     * holds the lock only to pick and reserve its name, not while its snapshot and record are made.
     */
    private final java.util.HashMap<String, String> reserved = new java.util.HashMap<>();

    /** A store in the daemon's shared metadata database; the caller owns and closes {@code db}. */
    public ContainerStore(Sqlite db) {
        this(db, false);
    }

    /** A store with a database of its own at {@code dbFile} (tests, tools); closing the store closes it. */
    public ContainerStore(Path dbFile) {
        this(open(dbFile), true);
    }

    private ContainerStore(Sqlite db, boolean ownsDb) {
        this.db = db;
        this.ownsDb = ownsDb;
        db.execute("CREATE TABLE IF NOT EXISTS container_containers ("
                + "id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, json TEXT NOT NULL)");
        for (String json : db.query("SELECT json FROM container_containers", rs -> rs.getString(1))) {
            try {
                Container c = Json.MAPPER.readValue(json, Container.class);
                byId.put(c.id(), c);
            } catch (IOException e) {
                throw new InternalException("cannot read a container record in " + db.file() + ": " + e.getMessage()
                        + " (the database is damaged; restore it or remove the row)", e);
            }
        }
    }

    private static Sqlite open(Path dbFile) {
        try {
            return Sqlite.open(dbFile);
        } catch (IOException e) {
            throw new InternalException("cannot open the container database " + dbFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inserts or replaces; a name held by another container, or reserved for one being created, is a 409 with
     * Docker's message. Putting the container a name was reserved for ends the reservation.
     */
    public synchronized void put(Container c) {
        Container holder = findByName(c.name()).orElse(null);
        if (holder != null && !holder.id().equals(c.id())) {
            throw nameInUse(c.name(), holder.id());
        }
        String promised = reserved.get(c.name());
        if (promised != null && !promised.equals(c.id())) {
            throw nameInUse(c.name(), promised);
        }
        try {
            db.update("INSERT OR REPLACE INTO container_containers(id, name, json) VALUES (?, ?, ?)",
                    c.id(), c.name(), Json.MAPPER.writeValueAsString(c));
        } catch (IOException | IllegalStateException e) {
            throw new InternalException("cannot save container " + c.name() + ": " + e.getMessage(), e);
        }
        byId.put(c.id(), c);
        reserved.remove(c.name(), c.id());
    }

    /**
     * Promises {@code name} (with its leading "/") to the container {@code id} that is being created, so no other
     * create or rename takes it meanwhile; a 409 with Docker's message when a container has it or another create
     * reserved it. {@link #put} of that container, or {@link #releaseName}, ends the reservation.
     */
    public synchronized void reserveName(String name, String id) {
        Container holder = findByName(name).orElse(null);
        if (holder != null) {
            throw nameInUse(name, holder.id());
        }
        String promised = reserved.putIfAbsent(name, id);
        if (promised != null && !promised.equals(id)) {
            throw nameInUse(name, promised);
        }
    }

    /** Ends a reservation (a create that failed); nothing when the name is not reserved for {@code id}. */
    public synchronized void releaseName(String name, String id) {
        reserved.remove(name, id);
    }

    /** Whether a container has {@code name} (with its leading "/") or a create has reserved it. */
    public synchronized boolean nameTaken(String name) {
        return reserved.containsKey(name) || findByName(name).isPresent();
    }

    public synchronized void delete(String id) {
        try {
            db.update("DELETE FROM container_containers WHERE id = ?", id);
        } catch (IllegalStateException e) {
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
        if (ownsDb) {
            db.close();
        }
    }
}
