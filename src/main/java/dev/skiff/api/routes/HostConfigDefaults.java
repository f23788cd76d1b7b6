package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HostConfig fields Docker's inspect always shows, with Docker's defaults. The engine stores only what the
 * client sent (a few hundred bytes per container); inspect lays it over these.
 */
final class HostConfigDefaults {
    private static final ObjectNode DEFAULTS;

    static {
        try {
            DEFAULTS = (ObjectNode) Json.MAPPER.readTree("""
                    {"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"json-file","Config":{}},
                     "NetworkMode":"bridge","PortBindings":{},"RestartPolicy":{"Name":"no","MaximumRetryCount":0},
                     "AutoRemove":false,"VolumeDriver":"","VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,
                     "CapDrop":null,"CgroupnsMode":"private","Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,
                     "GroupAdd":null,"IpcMode":"private","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"",
                     "Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"",
                     "UsernsMode":"","ShmSize":67108864,"Runtime":"runc","Isolation":"","CpuShares":0,"Memory":0,
                     "NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],
                     "BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,
                     "CpuQuota":0,"CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"",
                     "Devices":[],"DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,
                     "MemorySwappiness":null,"OomKillDisable":false,"PidsLimit":null,"Ulimits":null,"CpuCount":0,
                     "CpuPercent":0,"IOMaximumIOps":0,"IOMaximumBandwidth":0,
                     "MaskedPaths":["/proc/asound","/proc/acpi","/proc/interrupts","/proc/kcore","/proc/keys",
                       "/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi",
                       "/sys/firmware","/sys/devices/virtual/powercap"],
                     "ReadonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"]}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HostConfigDefaults() {
    }

    /** Docker's full HostConfig: the defaults with the stored fields on top. */
    static ObjectNode over(ObjectNode stored) {
        ObjectNode out = DEFAULTS.deepCopy();
        out.setAll(stored);
        if (out.path("Privileged").asBoolean(false)) {
            out.putNull("MaskedPaths");
            out.putNull("ReadonlyPaths");
        } else {
            // the docker CLI sends null for both: dockerd shows the defaults the container gets
            for (String paths : new String[] {"MaskedPaths", "ReadonlyPaths"}) {
                if (out.path(paths).isNull()) {
                    out.set(paths, DEFAULTS.get(paths).deepCopy());
                }
            }
        }
        // dockerd's adaptContainerSettings: -1 swappiness and a PidsLimit <= 0 mean unset, shown as null
        if (out.path("MemorySwappiness").asLong(0) == -1) {
            out.putNull("MemorySwappiness");
        }
        if (out.path("PidsLimit").isNumber() && out.path("PidsLimit").asLong() <= 0) {
            out.putNull("PidsLimit");
        }
        // a memory limit without a swap limit gets as much swap again (the runtime sets memsw to twice the memory)
        long memory = out.path("Memory").asLong(0);
        if (memory > 0 && out.path("MemorySwap").asLong(0) == 0) {
            out.put("MemorySwap", memory * 2);
        }
        return out;
    }
}
