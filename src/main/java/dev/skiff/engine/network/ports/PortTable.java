package dev.skiff.engine.network.ports;

import dev.skiff.sys.Sqlite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published ports of running containers in the daemon's database (table {@code ports_published}), so a
 * restarted daemon knows which host ports its containers' rules still hold, and inspect shows the ports chosen.
 */
public final class PortTable {
    private final Sqlite db;

    public PortTable(Sqlite db) {
        this.db = db;
        db.execute("CREATE TABLE IF NOT EXISTS ports_published (container_id TEXT NOT NULL, protocol TEXT NOT NULL, "
                + "container_port INTEGER NOT NULL, host_ip TEXT NOT NULL, host_port INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS ports_published_container ON ports_published(container_id)");
    }

    /** Replaces the rows of {@code containerId} with {@code bindings}, in one transaction. */
    public void put(String containerId, List<PortBinding> bindings) {
        db.transaction(c -> {
            Sqlite.update(c, "DELETE FROM ports_published WHERE container_id = ?", containerId);
            for (PortBinding b : bindings) {
                Sqlite.update(c, "INSERT INTO ports_published VALUES (?, ?, ?, ?, ?)", containerId, b.protocol(),
                        b.containerPort(), b.hostIp(), b.hostPort());
            }
            return null;
        });
    }

    public void remove(String containerId) {
        db.update("DELETE FROM ports_published WHERE container_id = ?", containerId);
    }

    /** Every container's rows, in the order they were written. */
    public Map<String, List<PortBinding>> all() {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        for (Object[] row : db.query("SELECT container_id, protocol, container_port, host_ip, host_port "
                + "FROM ports_published ORDER BY rowid", rs -> new Object[] {rs.getString(1),
                new PortBinding(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getInt(5))})) {
            out.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((PortBinding) row[1]);
        }
        return out;
    }
}
