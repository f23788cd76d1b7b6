package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatalogPagesTest {
    @Test
    void theNextCatalogPage_comesFromTheLinkHeader_andStaysOnTheCatalog() {
        assertThat(RegistryClient.nextPage("</v2/_catalog?last=b%2Fc&n=1000>; rel=\"next\""))
                .isEqualTo("/v2/_catalog?last=b%2Fc&n=1000");
        assertThat(RegistryClient.nextPage("<https://reg.example/v2/_catalog?last=x&n=2>; rel=\"next\""))
                .isEqualTo("/v2/_catalog?last=x&n=2");
        assertThat(RegistryClient.nextPage(null)).isNull();
        assertThat(RegistryClient.nextPage("</v2/_catalog?n=1>; rel=\"prev\"")).isNull();
        assertThat(RegistryClient.nextPage("</elsewhere>; rel=\"next\"")).isNull(); // never another path
    }
}
