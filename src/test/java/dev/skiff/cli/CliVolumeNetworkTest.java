package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliVolumeNetworkTest {
    @Test
    void volumeLs_sortsByName_andCreatePrintsTheName() throws Exception {
        FakeApiClient api = new FakeApiClient()
                .on("GET /volumes", "{\"Volumes\":[{\"Name\":\"zdata\",\"Driver\":\"local\"},{\"Name\":\"adata\",\"Driver\":\"local\"}]}")
                .on("POST /volumes/create", "{\"Name\":\"newvol\"}");
        assertThat(CliHarness.run(api, "volume", "ls").out()).isEqualTo("""
                DRIVER    VOLUME NAME
                local     adata
                local     zdata
                """);
        assertThat(CliHarness.run(api, "volume", "create", "--label", "a=b", "newvol").out()).isEqualTo("newvol\n");
        assertThat(api.request("POST", "/volumes/create").json().path("Labels").toString()).isEqualTo("{\"a\":\"b\"}");
    }

    @Test
    void networkLs_andCreateBody() throws Exception {
        FakeApiClient api = new FakeApiClient()
                .on("GET /networks", "[{\"Name\":\"bridge\",\"Id\":\"1111111111111111\",\"Driver\":\"bridge\",\"Scope\":\"local\"}]")
                .on("POST /networks/create", "{\"Id\":\"abc\"}");
        assertThat(CliHarness.run(api, "network", "ls").out()).isEqualTo("""
                NETWORK ID     NAME      DRIVER    SCOPE
                111111111111   bridge    bridge    local
                """);
        assertThat(CliHarness.run(api, "network", "create", "--subnet", "10.1.0.0/24", "--gateway", "10.1.0.1", "app").out())
                .isEqualTo("abc\n");
        assertThat(api.request("POST", "/networks/create").json().path("IPAM").path("Config").toString())
                .isEqualTo("[{\"Subnet\":\"10.1.0.0/24\",\"Gateway\":\"10.1.0.1\"}]");
    }
}
