package dev.skiff.engine.volume;

import dev.skiff.engine.EventBus;
import dev.skiff.engine.Times;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's volume service: create, get, list, remove and prune volumes over the drivers and the store, with
 * "in use" meaning "named by some container's mount points" (running or not). Publishes the volume events
 * (create, mount, unmount, destroy). Changes are serialized on this object, which container creation also
 * holds while it picks volumes, so a volume cannot disappear between being chosen and being recorded.
 */
public final class VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);

    private final VolumeStore store;
    private final Map<String, VolumeDriver> drivers;
    private final EventBus events;

    public VolumeService(VolumeStore store, List<VolumeDriver> drivers, EventBus events) {
        this.store = store;
        this.drivers = new LinkedHashMap<>();
        drivers.forEach(d -> this.drivers.put(d.name(), d));
        this.events = events;
    }

    VolumeStore store() {
        return store;
    }

    /** What prune removed. */
    public record PruneResult(List<String> deleted, long spaceReclaimed) {
    }

    /** Usage of one volume for system df: bytes (-1 unknown) and the number of containers naming it. */
    public record Usage(long size, int refCount) {
    }

    /**
     * Creates a volume, or returns the existing one of that name (Docker keeps its labels and options then).
     *
     * @param name   null or empty for a generated 64-hex name
     * @param driver null or empty for "local"
     */
    public synchronized Volume create(String name, String driver, Map<String, String> labels, Map<String, String> options) {
        String n = name == null || name.isEmpty() ? VolumeNames.random() : name;
        String d = driver == null || driver.isEmpty() ? "local" : driver;
        Volume existing = store.get(n).orElse(null);
        if (existing != null) {
            if (!existing.driver().equals(d)) {
                throw new ConflictException("create " + n + ": volume name must be unique (a volume of that name exists with driver "
                        + existing.driver() + ")");
            }
            announce(existing);
            return existing;
        }
        VolumeDriver vd;
        try {
            vd = driver(d);
        } catch (NotFoundException e) {
            throw new NotFoundException("create " + n + ": " + e.getMessage()); // dockerd's "create NAME: " prefix
        }
        Path mountpoint = vd.create(n, options);
        Volume v = new Volume(n, d, labels, options, Times.format(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                mountpoint.toString());
        try {
            store.put(v);
        } catch (SkiffException e) {
            quietly(() -> vd.remove(v));
            throw e;
        }
        events.publish("volume", "create", n, Map.of("driver", d));
        return v;
    }

    /**
     * Publishes a volume "create" event for a volume that exists already: dockerd announces one for every create a
     * client or a container's mount asks for, whether it made the volume or found it, and event watchers count on it.
     */
    public void announce(Volume existing) {
        events.publish("volume", "create", existing.name(), Map.of("driver", existing.driver()));
    }

    /** @throws NotFoundException "get NAME: no such volume" */
    public Volume get(String name) {
        return store.get(name).orElseThrow(() -> new NotFoundException("get " + name + ": no such volume"));
    }

    public List<Volume> list(Map<String, List<String>> filters) {
        VolumeFilter f = VolumeFilter.forList(filters);
        return store.all().stream().filter(v -> f.matches(v, !store.users(v.name()).isEmpty()))
                .sorted(Comparator.comparing(Volume::name)).toList();
    }

    /** The containers naming the volume, sorted. */
    public List<String> users(String name) {
        return store.users(name);
    }

    /**
     * Removes a volume nobody names. With force a missing volume is no error, as in Docker; a volume in use
     * stays even with force.
     *
     * @throws ConflictException "remove NAME: volume is in use - [ids]"
     */
    public synchronized void remove(String name, boolean force) {
        Volume v = store.get(name).orElse(null);
        if (v == null) {
            if (force) {
                return;
            }
            throw new NotFoundException("get " + name + ": no such volume");
        }
        List<String> users = store.users(name);
        if (!users.isEmpty()) {
            throw new ConflictException("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
        }
        VolumeDriver vd = driver(v.driver());
        vd.remove(v);
        store.delete(name);
        events.publish("volume", "destroy", name, Map.of("driver", v.driver()));
    }

    /** Removes the unused volumes the filters pick: anonymous ones only, unless all=true. */
    public synchronized PruneResult prune(Map<String, List<String>> filters) {
        VolumeFilter f = VolumeFilter.forPrune(filters);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Volume v : store.all()) {
            if (!store.users(v.name()).isEmpty() || !f.matches(v, false)) {
                continue;
            }
            long size = Math.max(0, driver(v.driver()).size(v));
            try {
                remove(v.name(), false);
                deleted.add(v.name());
                reclaimed += size;
            } catch (SkiffException e) {
                LOG.warn("prune: cannot remove volume {}: {}", v.name(), e.getMessage());
            }
        }
        deleted.sort(null);
        return new PruneResult(deleted, reclaimed);
    }

    public Usage usage(Volume v) {
        return new Usage(driver(v.driver()).size(v), store.users(v.name()).size());
    }

    /** Makes the volume's data reachable for a container and publishes "mount". */
    Path mount(Volume v, String containerId, MountPoint mp) {
        Path data = driver(v.driver()).mount(v, containerId);
        events.publish("volume", "mount", v.name(), Map.of("container", containerId, "destination", mp.destination(),
                "driver", v.driver(), "propagation", mp.propagation(), "read/write", Boolean.toString(mp.rw())));
        return data;
    }

    /** The container's hold on the volume ends; publishes "unmount" when it held one. */
    void unmount(Volume v, String containerId) {
        VolumeDriver vd = driver(v.driver());
        if (vd.users(v).contains(containerId)) {
            vd.unmount(v, containerId);
            events.publish("volume", "unmount", v.name(), Map.of("container", containerId, "driver", v.driver()));
        }
    }

    void dropUnknownStorage() {
        Set<String> known = store.all().stream().map(Volume::name).collect(java.util.stream.Collectors.toSet());
        drivers.values().forEach(d -> d.dropUnknown(known));
    }

    void reconcile(Volume v, Set<String> runningUsers) {
        driver(v.driver()).reconcile(v, runningUsers);
    }

    /** @throws NotFoundException Docker's message for a driver that is not there */
    VolumeDriver driver(String name) {
        VolumeDriver d = drivers.get(name);
        if (d == null) {
            throw new NotFoundException("error looking up volume plugin " + name + ": plugin \"" + name + "\" not found");
        }
        return d;
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("cleanup step failed (ignored): {}", e.toString());
        }
    }
}
