package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.ConflictException;
import dev.skiff.sys.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name reservations a create holds while its container is made outside the store's lock. */
class ContainerStoreTest {
    @TempDir
    Path tmp;

    private static Container container(String id, String name) throws Exception {
        return new Container(id, name, Times.now(), "sh", List.of(), Json.MAPPER.createObjectNode(),
                Json.MAPPER.createObjectNode(), "sha256:x", "x", ContainerState.created(), 0, "/dev/null", 0, false);
    }

    private static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void aReservedName_isTakenForEveryoneButItsContainer_untilThatContainerIsPut() throws Exception {
        try (ContainerStore store = new ContainerStore(tmp.resolve("skiff.db"))) {
            store.reserveName("/web", id('a'));
            assertThat(store.nameTaken("/web")).isTrue();
            assertThat(store.findByName("/web")).isEmpty(); // not a container yet
            store.reserveName("/web", id('a')); // the same create asking again
            assertThatThrownBy(() -> store.reserveName("/web", id('b'))).isInstanceOf(ConflictException.class)
                    .hasMessage("Conflict. The container name \"/web\" is already in use by container \"" + id('a')
                            + "\". You have to remove (or rename) that container to be able to reuse that name.");
            assertThatThrownBy(() -> store.put(container(id('b'), "/web"))).isInstanceOf(ConflictException.class);

            store.put(container(id('a'), "/web"));
            assertThat(store.findByName("/web")).get().extracting(Container::id).isEqualTo(id('a'));
            store.delete(id('a'));
            assertThat(store.nameTaken("/web")).isFalse(); // putting it ended the reservation
        }
    }

    @Test
    void aReleasedName_isFreeAgain_andOnlyItsOwnCreateReleasesIt() throws Exception {
        try (ContainerStore store = new ContainerStore(tmp.resolve("skiff.db"))) {
            store.reserveName("/job", id('a'));
            store.releaseName("/job", id('b')); // not b's to release
            assertThat(store.nameTaken("/job")).isTrue();
            store.releaseName("/job", id('a'));
            assertThat(store.nameTaken("/job")).isFalse();
            store.reserveName("/job", id('b'));
            store.put(container(id('b'), "/job"));
            assertThatThrownBy(() -> store.reserveName("/job", id('c'))).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("in use by container \"" + id('b') + "\"");
        }
    }

    @Test
    void reservationsLiveInMemoryOnly() throws Exception {
        try (ContainerStore store = new ContainerStore(tmp.resolve("skiff.db"))) {
            store.reserveName("/gone", id('a'));
        }
        // a create cut short by the daemon's death left no record: its name is free after a restart
        try (ContainerStore store = new ContainerStore(tmp.resolve("skiff.db"))) {
            assertThat(store.nameTaken("/gone")).isFalse();
        }
    }
}
