package dev.skiff.build;

import dev.skiff.runtime.RuntimeSpec;

import java.util.List;
import java.util.Map;

/**
 * One build, as POST /build's query parameters describe it.
 *
 * @param dockerfile   the Dockerfile's path inside the context ("Dockerfile" when not given)
 * @param tags         references to tag the result with ("name[:tag]")
 * @param buildArgs    --build-arg values; a null value means "take it from the daemon's environment" (Docker's
 *                     behaviour for a bare --build-arg NAME), which Skiff treats as unset
 * @param labels       --label values set on the final image
 * @param target       the stage to build ("" for the last)
 * @param noCache      ignore the cache for every step
 * @param noCacheStages stage names whose steps ignore the cache (--no-cache-filter)
 * @param pull         pull FROM images even when they are local (images that are not local are pulled anyway)
 * @param quiet        print only the image ID
 * @param network      "default"/"bridge" (the daemon's default bridge), "none", "host", or a user-defined network's
 *                     name or ID
 * @param secrets      --secret values by id (mounted at /run/secrets/ID, never stored in a layer)
 * @param extraHosts   "name:ip" lines added to the RUN steps' /etc/hosts
 * @param resources    RUN steps' cgroup limits (memory, memswap, cpushares, cpuperiod, cpuquota, cpusetcpus,
 *                     cpusetmems); {@link RuntimeSpec.Resources#NONE} for none
 * @param ulimits      RUN steps' rlimits (--ulimit), clamped to the daemon's own hard limits as containers' are
 * @param shmSize      RUN steps' /dev/shm size in bytes; 0 = Docker's 64 MiB
 * @param platform     the requested platform ("linux/amd64"), or "" for the host's
 * @param registryConfig the client's X-Registry-Config header (credentials for pulls), or ""
 * @param cacheFrom    local images whose steps a step may reuse when the build cache has none (--cache-from, as
 *                     the classic builder: matched by their history, never pulled)
 * @param sandbox      RUN steps' seccomp profile, no-new-privileges and cgroup parent
 */
public record BuildRequest(String dockerfile, List<String> tags, Map<String, String> buildArgs,
                           Map<String, String> labels, String target, boolean noCache, List<String> noCacheStages,
                           boolean pull, boolean quiet, String network, Map<String, byte[]> secrets,
                           List<String> extraHosts, RuntimeSpec.Resources resources,
                           List<RuntimeSpec.Rlimit> ulimits, long shmSize, String platform, String registryConfig,
                           List<String> cacheFrom, StepSandbox sandbox) {
    public BuildRequest {
        dockerfile = dockerfile == null || dockerfile.isBlank() ? "Dockerfile" : dockerfile;
        tags = tags == null ? List.of() : List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
        target = target == null ? "" : target;
        noCacheStages = noCacheStages == null ? List.of() : List.copyOf(noCacheStages);
        network = network == null || network.isBlank() ? "default" : network;
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        resources = resources == null ? RuntimeSpec.Resources.NONE : resources;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        platform = platform == null ? "" : platform;
        registryConfig = registryConfig == null ? "" : registryConfig.strip();
        cacheFrom = cacheFrom == null ? List.of() : List.copyOf(cacheFrom);
        sandbox = sandbox == null ? StepSandbox.DEFAULT : sandbox;
    }

    /** A request with defaults, for tests and callers that set only a few fields. */
    public static BuildRequest of(String dockerfile, List<String> tags) {
        return new BuildRequest(dockerfile, tags, Map.of(), Map.of(), "", false, List.of(), false, false, "none",
                Map.of(), List.of(), RuntimeSpec.Resources.NONE, List.of(), 0, "", "", List.of(),
                StepSandbox.DEFAULT);
    }
}
