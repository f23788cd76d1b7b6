package dev.skiff.daemon;

import dev.skiff.engine.Container;
import dev.skiff.engine.ContainerService;
import dev.skiff.engine.volume.ContainerVolumes;
import dev.skiff.engine.volume.LocalVolumeDriver;
import dev.skiff.engine.volume.VolumeService;
import dev.skiff.engine.volume.VolumeStore;
import dev.skiff.sys.Sqlite;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Wires the volume service (local driver under {@code <data-root>/volumes}) into the container engine. */
final class Volumes {
    private Volumes() {
    }

    /** Call before the containers are reconciled, so the volumes' mounts are reconciled with them. */
    static VolumeService wire(Path dataRoot, Sqlite db, ContainerService containers) {
        VolumeService volumes = new VolumeService(new VolumeStore(db),
                List.of(new LocalVolumeDriver(dataRoot.resolve("volumes"))), containers.events());
        containers.useMounts(new ContainerVolumes(volumes, idOrName -> containers.get(idOrName).id(),
                () -> containers.all().stream().map(Container::id).collect(Collectors.toSet()), dataRoot));
        return volumes;
    }
}
