package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.ContainerRuntime;
import java.util.List;
import java.util.Map;

/** docker rename and docker update: changes to a container's record that need no restart. */
final class ContainerEdits {
    private final ContainerService service;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final EventBus events;

    ContainerEdits(ContainerService service, ContainerStore store, ContainerRuntime runtime, EventBus events) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.events = events;
    }

    void rename(String idOrName, String newName) {
        if (newName == null || newName.isBlank()) {
            throw new InvalidArgumentException("Neither old nor new names may be empty");
        }
        // dockerd's order: the container first, then the same name, then the new name's rules
        Container c = store.resolve(idOrName);
        String slashed = newName.startsWith("/") ? newName : "/" + newName;
        synchronized (service.lock(c.id())) {
            c = store.resolve(c.id());
            if (c.name().equals(slashed)) {
                throw new InvalidArgumentException("Renaming a container with the same name as its current name");
            }
            String full;
            try {
                full = NameGenerator.validateName(slashed);
            } catch (InvalidArgumentException e) {
                throw new InvalidArgumentException("Error when allocating new name: " + e.getMessage());
            }
            String old = c.name();
            synchronized (store) {
                try {
                    store.put(c.withName(full));
                } catch (dev.skiff.errors.ConflictException e) {
                    throw new dev.skiff.errors.ConflictException("Error when allocating new name: " + e.getMessage());
                }
            }
            events.publishContainer(c.withName(full), "rename", Map.of("oldName", old));
        }
    }

    /** docker update: resources and restart policy; live containers get the new cgroup limits at once. */
    List<String> update(String idOrName, ObjectNode changes) {
        List<String> warnings = new java.util.ArrayList<>();
        Container c = store.resolve(idOrName);
        synchronized (service.lock(c.id())) {
            c = store.resolve(c.id());
            ObjectNode h = c.hostConfig().deepCopy();
            changes.properties().forEach(e -> {
                if (!e.getValue().isNull() && !(e.getValue().isNumber() && e.getValue().asLong() == 0 && !e.getKey().equals("RestartPolicy"))) {
                    h.set(e.getKey(), e.getValue());
                }
            });
            JsonNode rp = changes.get("RestartPolicy");
            if (rp != null && rp.isObject() && !rp.path("Name").asText("").isEmpty() && c.autoRemove()
                    && !rp.path("Name").asText().equals("no")) {
                throw new InvalidArgumentException("Cannot update container " + c.id()
                        + ": Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
            long memory = h.path("Memory").asLong(0);
            long swap = h.path("MemorySwap").asLong(0);
            if (changes.path("Memory").asLong(0) > 0 && changes.path("MemorySwap").asLong(0) == 0 && swap > 0
                    && memory > swap) {
                // dockerd's words: raising the memory above the swap limit set before needs the swap raised too
                throw new InvalidArgumentException("Cannot update container " + c.id() + ": Memory limit should be "
                        + "smaller than already set memoryswap limit, update the memoryswap at the same time");
            }
            ObjectNode normalized = ConfigMerger.normalizeHostConfig(h);
            HostConfigRules.checkResources(normalized, HostFacts.current(), warnings, true);
            if (c.state().hasProcess()) {
                runtime.update(c.id(), SpecBuilder.resources(normalized));
            }
            store.put(c.withHostConfig(normalized));
            events.publishContainer(c, "update", Map.of());
        }
        return warnings;
    }
}
