package dev.skiff.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** go-types.json is what GoTypesGenerator makes of the Engine API's swagger, when the specs are beside the checkout. */
class GoTypesResourceTest {
    private static final Path SWAGGER = Path.of("../shared/specs/docker-engine-api-v1.50.yaml");
    private static final Path RESOURCE = Path.of("src/main/resources/dev/skiff/cli/format/go-types.json");

    @Test
    void resourceMatchesTheSwagger() throws Exception {
        assumeTrue(Files.exists(SWAGGER), "the specs are not beside this checkout");
        String expected = GoTypesGenerator.generate(SWAGGER);
        if (Boolean.getBoolean("regenerate")) {
            Files.createDirectories(RESOURCE.getParent());
            Files.writeString(RESOURCE, expected);
        }
        assertEquals(expected, Files.readString(RESOURCE),
                "go-types.json is out of date: run this test with -Dregenerate=true");
    }
}
