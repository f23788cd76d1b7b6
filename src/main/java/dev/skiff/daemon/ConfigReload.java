package dev.skiff.daemon;

import dev.skiff.sys.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP re-reads the configuration file, as dockerd does (its systemd unit's `systemctl reload` sends SIGHUP): the
 * log level takes effect at once, the other settings at the next start, which the log says. The JVM's own
 * reading of SIGHUP, run the shutdown hooks and exit, stopped the daemon instead.
 */
final class ConfigReload {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    private ConfigReload() {
    }

    static void install(DaemonOptions options) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload(options));
        } catch (IllegalArgumentException e) {
            // the JVM runs with -Xrs, or the signal is taken: SIGHUP keeps its default meaning
            LOG.warn("SIGHUP will not reload the configuration: {}", e.getMessage());
        }
    }

    static void reload(DaemonOptions options) {
        try {
            String level = LogSetup.setLevel(options.reloadedLogLevel());
            LOG.info("reloaded the configuration from {}: log-level {} (other settings take effect at the next start)",
                    options.configFileInUse(), level);
        } catch (RuntimeException e) {
            LOG.error("cannot reload the configuration: {}; the running one stays", e.getMessage());
        }
    }
}
