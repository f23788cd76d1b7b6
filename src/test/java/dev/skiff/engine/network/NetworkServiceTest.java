package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.engine.Container;
import dev.skiff.engine.EngineFixture;
import dev.skiff.engine.EventBus;
import dev.skiff.sys.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker network connect racing a start, the wiring a crash left, and network rm against a crash. */
class NetworkServiceTest {
    @TempDir
    Path tmp;

    /** Records attaches; puts nothing anywhere. */
    static final class RecordingDriver implements NetworkDriver {
        final List<String> attached = new ArrayList<>();
        final List<String> detached = new ArrayList<>();
        volatile String checkFails;
        volatile RuntimeException tearDownFails;
        java.util.function.Consumer<Network> onTearDown = n -> { };
        volatile java.util.function.Consumer<Network> onSetUp = n -> { };
        final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "bridge";
        }

        @Override
        public void setUp(Network network) {
            onSetUp.accept(network);
            events.add("setUp " + network.name());
        }

        @Override
        public Attachment attach(Network network, AttachRequest request) {
            attached.add(network.name() + " " + request.ifName() + " " + request.address());
            return new Attachment("02:42:ac:12:00:02", "{\"n\":" + attached.size() + "}");
        }

        @Override
        public void detach(Network network, AttachRequest request) {
            detached.add(network.name() + " " + request.ifName() + " " + request.address());
        }

        @Override
        public void check(Network network, AttachRequest request, String state) {
            if (checkFails != null) {
                throw new dev.skiff.errors.UnavailableException(checkFails);
            }
        }

        @Override
        public void tearDown(Network network) {
            events.add("tearDown " + network.name());
            onTearDown.accept(network);
            if (tearDownFails != null) {
                throw tearDownFails;
            }
        }
    }

    /** A recording driver, the service over it, and a network {@code name}; {@code c}'s start made its namespace. */
    private record Rig(RecordingDriver driver, ContainerNetworks networks, NetworkService service) {
    }

    private Rig rig(Sqlite db, Container c, String name, String subnet) throws Exception {
        RecordingDriver driver = new RecordingDriver();
        ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db), driver,
                Files.createDirectories(tmp.resolve("netns")), new EventBus());
        NetworkService service = new NetworkService(networks, new EventBus(), x -> c, List::of);
        service.create(new NetworkService.CreateRequest(name, "bridge", false, false, false,
                List.of(new NetworkService.IpamConfig(subnet, null, null)), Map.of(), Map.of()));
        Files.createFile(networks.netnsPath(c.id()));
        return new Rig(driver, networks, service);
    }

    @Test
    void connect_wiresTheEndpointIn_whenTheNamespaceIsLive_whateverTheStateLookedUpBeforeItsLock() throws Exception {
        try (EngineFixture f = new EngineFixture(Files.createDirectories(tmp.resolve("engine")));
             Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            String id = f.create("racer", "{\"Image\":\"busybox\"}");
            Container asLookedUp = f.service.get(id); // "created": the lookup ran before a start's network setup
            RecordingDriver driver = new RecordingDriver();
            Path netnsDir = Files.createDirectories(tmp.resolve("netns"));
            ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db), driver, netnsDir, new EventBus());
            NetworkService service = new NetworkService(networks, new EventBus(), x -> asLookedUp, List::of);
            service.create(new NetworkService.CreateRequest("rnet", "bridge", false, false, false,
                    List.of(new NetworkService.IpamConfig("172.30.0.0/16", null, null)), Map.of(), Map.of()));
            // the start's setup made the namespace (and wired what was recorded then) before connect took the lock
            Files.createFile(networks.netnsPath(id));

            service.connect("rnet", id, null);

            assertThat(driver.attached).as("wired in at once, not left recorded and never wired")
                    .containsExactly("rnet eth0 172.30.0.2");
            assertThat(networks.store().endpointsOf(id)).singleElement().extracting(Endpoint::attached).isEqualTo(true);
        }
    }

    @Test
    void reconcile_wiresAgainAnInterfaceACrashLeftOtherThanRecorded() throws Exception {
        try (EngineFixture f = new EngineFixture(Files.createDirectories(tmp.resolve("engine")));
             Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            String id = f.create("crashed", "{\"Image\":\"busybox\"}");
            Container c = f.service.get(id);
            Rig rig = rig(db, c, "rnet", "172.30.0.0/16");
            RecordingDriver driver = rig.driver();
            ContainerNetworks networks = rig.networks();
            NetworkService service = rig.service();
            service.connect("rnet", id, null);
            // a disconnect cut short: the plugin's DEL ran (the interface is gone), the record's update did not
            driver.checkFails = "CNI plugin bridge CHECK failed: Interface name eth0 not found";

            networks.reconcile(java.util.Set.of(id), java.util.Set.of(id));

            assertThat(driver.detached).as("what was left of it first").containsExactly("rnet eth0 172.30.0.2");
            assertThat(driver.attached).as("then wired again, at its recorded address")
                    .containsExactly("rnet eth0 172.30.0.2", "rnet eth0 172.30.0.2");
            assertThat(networks.store().endpointsOf(id)).singleElement().extracting(Endpoint::driverState)
                    .isEqualTo("{\"n\":2}");
        }
    }

    @Test
    void networkRm_tearsTheBridgeDownWhileTheNetworkIsRecorded_soACrashOrAFailureKeepsTheRecord() throws Exception {
        try (EngineFixture f = new EngineFixture(Files.createDirectories(tmp.resolve("engine")));
             Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            RecordingDriver driver = new RecordingDriver();
            ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db), driver,
                    Files.createDirectories(tmp.resolve("netns")), new EventBus());
            NetworkService service = new NetworkService(networks, new EventBus(), x -> f.service.get(x), List::of);
            Network n = service.create(new NetworkService.CreateRequest("gone", "bridge", false, false, false,
                    List.of(new NetworkService.IpamConfig("172.31.0.0/16", null, null)), Map.of(), Map.of()));
            List<Boolean> recordedAtTearDown = new ArrayList<>();
            driver.onTearDown = x -> recordedAtTearDown.add(networks.store().get(x.id()).isPresent());
            driver.tearDownFails = new dev.skiff.errors.UnavailableException("iptables: resource busy");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.remove("gone"))
                    .hasMessageContaining("resource busy");
            assertThat(networks.store().get(n.id())).as("kept: a bridge nobody knows of no longer holds the subnet")
                    .isPresent();
            driver.tearDownFails = null;
            service.remove("gone");
            assertThat(networks.store().get(n.id())).isEmpty();
            assertThat(recordedAtTearDown).containsExactly(true, true);
        }
    }

    @Test
    void create_withIpv6_recordsTheUsersSubnet_orTakesAFree64OfTheDaemonsUlaPrefix_andRefusesWhatCannotBe()
            throws Exception {
        try (Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db), new RecordingDriver(),
                    Files.createDirectories(tmp.resolve("netns")), new EventBus());
            NetworkService service = new NetworkService(networks, new EventBus(), x -> null, List::of);
            service.initPredefined("skt0", "10.200.0.1/24", null);
            var v4 = new NetworkService.IpamConfig("10.201.0.0/24", null, null);
            Network user = service.create(new NetworkService.CreateRequest("u6", "bridge", false, false, false,
                    List.of(v4, new NetworkService.IpamConfig("FD00:77::/64", "fd00:77::100/120", null)), Map.of(),
                    Map.of(), true));
            assertThat(user.ipv6()).isEqualTo(new Network.Ipv6("fd00:77::/64", "fd00:77::1", "fd00:77::100/120", true));
            Network auto = service.create(new NetworkService.CreateRequest("a6", "bridge", false, false, false, List.of(),
                    Map.of(), Map.of(), true));
            Network auto2 = service.create(new NetworkService.CreateRequest("b6", "bridge", false, false, false, List.of(),
                    Map.of(), Map.of(), true));
            String ula = Ipam.ulaPrefix(service.get("bridge").id()).toString().replace("::/48", "");
            assertThat(auto.ipv6().subnet()).isEqualTo(ula + "::/64");
            assertThat(auto.ipv6().gateway()).isEqualTo(ula + "::1");
            assertThat(auto2.ipv6().subnet()).isEqualTo(ula + ":1::/64");
            assertThat(auto.ipv6().userSubnet()).isFalse();

            var v6only = List.of(new NetworkService.IpamConfig("fd00:78::/64", null, null));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.create(new NetworkService.CreateRequest(
                    "x", "bridge", false, false, false, v6only, Map.of(), Map.of(), false)))
                    .hasMessageContaining("add --ipv6");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.create(new NetworkService.CreateRequest(
                    "x", "bridge", false, false, false, List.of(new NetworkService.IpamConfig("fd00:77:0:0:1::/80", null,
                    null)), Map.of(), Map.of(), true))).hasMessageContaining("Pool overlaps");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.create(new NetworkService.CreateRequest(
                    "x", "bridge", false, false, false, List.of(new NetworkService.IpamConfig("fd00:79::/64", null,
                    "fd00:80::1")), Map.of(), Map.of(), true))).hasMessageContaining("must lie within subnet");
            assertThat(service.list(Map.of())).extracting(Network::name).doesNotContain("x");
        }
    }

    @Test
    void defaultBridge_withIpv6_keepsItsChosen64_takesAFixedCidr_andLosesItWithoutTheFlag() throws Exception {
        try (Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db), new RecordingDriver(),
                    Files.createDirectories(tmp.resolve("netns")), new EventBus());
            NetworkService service = new NetworkService(networks, new EventBus(), x -> null, List::of);
            service.initPredefined("skt0", "10.200.0.1/24", null);
            assertThat(service.get("bridge").enableIpv6()).isFalse();
            service.initPredefined("skt0", "10.200.0.1/24", null, true, "");
            Network.Ipv6 chosen = service.get("bridge").ipv6();
            assertThat(chosen.subnet()).isEqualTo(Ipam.ulaPrefix(service.get("bridge").id()).toString().replace("/48", "/64"));
            assertThat(chosen.userSubnet()).isFalse();
            service.initPredefined("skt0", "10.200.0.1/24", null, true, "");
            assertThat(service.get("bridge").ipv6()).as("the same at every start").isEqualTo(chosen);
            service.initPredefined("skt0", "10.200.0.1/24", null, true, "fd00:17::/64");
            assertThat(service.get("bridge").ipv6()).isEqualTo(new Network.Ipv6("fd00:17::/64", "fd00:17::1", "", true));
            service.initPredefined("skt0", "10.200.0.1/24", null, false, "");
            assertThat(service.get("bridge").enableIpv6()).isFalse();
        }
    }

    @Test
    void networkRm_racingTheFirstAttachsSetUp_waitsForIt_soNoRuleOfItOutlivesTheTeardown() throws Exception {
        try (EngineFixture f = new EngineFixture(Files.createDirectories(tmp.resolve("engine")));
             Sqlite db = Sqlite.open(tmp.resolve("net.db"))) {
            String id = f.create("first", "{\"Image\":\"busybox\"}");
            Container c = f.service.get(id);
            Rig rig = rig(db, c, "racy", "172.29.0.0/16");
            RecordingDriver driver = rig.driver();
            ContainerNetworks networks = rig.networks();
            NetworkService service = rig.service();
            java.util.concurrent.CountDownLatch inSetUp = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            driver.onSetUp = n -> {
                inSetUp.countDown();
                try {
                    release.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            driver.events.clear();
            // the daemon's first endpoint on the network sets it up (its bridge, its rules) while `network rm` runs
            Thread connect = Thread.ofVirtual().start(() -> {
                try {
                    service.connect("racy", id, null);
                } catch (RuntimeException ignored) {
                    // removed first: refused, as a start after a removal is
                }
            });
            assertThat(inSetUp.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread remove = Thread.ofVirtual().start(() -> {
                try {
                    service.remove("racy");
                } catch (RuntimeException ignored) {
                    // the endpoint came first: "has active endpoints"
                }
            });
            Thread.sleep(300); // time for a removal that does not wait to tear down under the set-up
            release.countDown();
            connect.join(5000);
            remove.join(5000);

            List<String> order = List.copyOf(driver.events);
            assertThat(order).contains("setUp racy");
            if (order.contains("tearDown racy")) {
                assertThat(order.indexOf("tearDown racy")).as("torn down after the set-up, not under it: " + order)
                        .isGreaterThan(order.indexOf("setUp racy"));
            }
        }
    }
}

